// Top-level module names of the Python standard library. `dvp build` imports only the last dotted
// component of the entry module, from paths it appends after the standard library's (sdk-spec §4.8,
// §13 item 12), so an entry module named like one of these imports Python's module instead of the plugin's.
// The 3.11 list is `sys.stdlib_module_names` of CPython 3.11; the older lines differ by the few modules below.

const PYTHON_311 = `
__future__ _abc _aix_support _ast _asyncio _bisect _blake2 _bootsubprocess _bz2 _codecs _codecs_cn _codecs_hk
_codecs_iso2022 _codecs_jp _codecs_kr _codecs_tw _collections _collections_abc _compat_pickle _compression
_contextvars _crypt _csv _ctypes _curses _curses_panel _datetime _dbm _decimal _elementtree _frozen_importlib
_frozen_importlib_external _functools _gdbm _hashlib _heapq _imp _io _json _locale _lsprof _lzma _markupbase
_md5 _msi _multibytecodec _multiprocessing _opcode _operator _osx_support _overlapped _pickle _posixshmem
_posixsubprocess _py_abc _pydecimal _pyio _queue _random _scproxy _sha1 _sha256 _sha3 _sha512 _signal
_sitebuiltins _socket _sqlite3 _sre _ssl _stat _statistics _string _strptime _struct _symtable _thread
_threading_local _tkinter _tokenize _tracemalloc _typing _uuid _warnings _weakref _weakrefset _winapi
_zoneinfo abc aifc antigravity argparse array ast asynchat asyncio asyncore atexit audioop base64 bdb binascii
bisect builtins bz2 cProfile calendar cgi cgitb chunk cmath cmd code codecs codeop collections colorsys
compileall concurrent configparser contextlib contextvars copy copyreg crypt csv ctypes curses dataclasses
datetime dbm decimal difflib dis distutils doctest email encodings ensurepip enum errno faulthandler fcntl
filecmp fileinput fnmatch fractions ftplib functools gc genericpath getopt getpass gettext glob graphlib grp
gzip hashlib heapq hmac html http idlelib imaplib imghdr imp importlib inspect io ipaddress itertools json
keyword lib2to3 linecache locale logging lzma mailbox mailcap marshal math mimetypes mmap modulefinder msilib
msvcrt multiprocessing netrc nis nntplib nt ntpath nturl2path numbers opcode operator optparse os ossaudiodev
pathlib pdb pickle pickletools pipes pkgutil platform plistlib poplib posix posixpath pprint profile pstats
pty pwd py_compile pyclbr pydoc pydoc_data pyexpat queue quopri random re readline reprlib resource
rlcompleter runpy sched secrets select selectors shelve shlex shutil signal site smtpd smtplib sndhdr socket
socketserver spwd sqlite3 sre_compile sre_constants sre_parse ssl stat statistics string stringprep struct
subprocess sunau symtable sys sysconfig syslog tabnanny tarfile telnetlib tempfile termios textwrap this
threading time timeit tkinter token tokenize tomllib trace traceback tracemalloc tty turtle turtledemo types
typing unicodedata unittest urllib uu uuid venv warnings wave weakref webbrowser winreg winsound wsgiref
xdrlib xml xmlrpc zipapp zipfile zipimport zlib zoneinfo
`;

/** In Python 3.8, gone by 3.11. */
const ONLY_BEFORE_311 = ['binhex', 'formatter', 'parser', 'symbol', 'dummy_threading', '_dummy_thread'];

/** Added after 3.8. */
const ADDED_AFTER_38 = ['graphlib', 'zoneinfo', '_zoneinfo', 'tomllib', '_typing', '_tokenize'];

/** Python 2.7 modules that Python 3 renamed or removed. */
const PYTHON_27_ONLY = `
BaseHTTPServer Bastion CGIHTTPServer ConfigParser Cookie DocXMLRPCServer HTMLParser MimeWriter Queue
SimpleHTTPServer SimpleXMLRPCServer SocketServer StringIO Tkinter UserDict UserList UserString __builtin__
_winreg anydbm commands compiler cPickle cStringIO cookielib copy_reg dbhash dircache dumbdbm dummy_thread
dummy_threading exceptions fpformat htmlentitydefs htmllib httplib ihooks imputil md5 mhlib mimetools
mimify multifile mutex new popen2 posixfile repr rexec rfc822 robotparser sets sgmllib sha statvfs thread
toaiff urllib2 urlparse user whichdb xmlrpclib formatter parser symbol binhex
`;

const words = (s: string) => s.split(/\s+/).filter((w) => w.length > 0);

const V311: ReadonlySet<string> = new Set(words(PYTHON_311));
const V38: ReadonlySet<string> = new Set([...words(PYTHON_311).filter((m) => !ADDED_AFTER_38.includes(m)), ...ONLY_BEFORE_311]);
const V27: ReadonlySet<string> = new Set([...V38, ...words(PYTHON_27_ONLY)]);

/** The standard-library top-level module names of a Python line (`3.11`, `3.8`, `2.7`). */
export function stdlibModules(python: string): ReadonlySet<string> {
  if (python.startsWith('2.')) return V27;
  if (python === '3.8') return V38;
  return V311;
}
