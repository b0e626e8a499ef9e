#
# The machine-readable event stream the orchestrator reads: one JSON object per line, written to a
# file descriptor it passed us or to a file (debug launches), flushed line by line.
#
import json
import threading
import time

# Text fields of one event are cut to this many characters; the event says how much was cut.
FIELD_CAP = 64 * 1024

_lock = threading.Lock()
_out = None


def open_stream(fd=None, path=None):
    global _out
    if fd is not None:
        _out = open(fd, 'w', encoding='utf-8', closefd=False)
    elif path:
        _out = open(path, 'a', encoding='utf-8')


def cap(text, limit=FIELD_CAP):
    """(text cut to `limit` characters, number of characters cut)."""
    if text is None:
        return '', 0
    if len(text) <= limit:
        return text, 0
    return text[:limit], len(text) - limit


def emit(event_type, **fields):
    event = {'type': event_type, 'time': round(time.time() * 1000)}
    event.update(fields)
    line = json.dumps(event, default=str, ensure_ascii=False)
    with _lock:
        if _out is None:
            return
        _out.write(line + '\n')
        _out.flush()
