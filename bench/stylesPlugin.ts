// A generated plugin written the way large shipped plugins are (issue 12): `modules` helper modules in
// rotation through the styles of test/fixtures/python/styles (controller classes with **kwargs and a
// holder object, class hierarchies with mixins, builders with chained @classmethod setters, values
// chosen by a flag, containers, inputs passed down one level at a time). Every operation hands its
// inputs to every module. The schema is the style fixtures' schema.
//
// With `misspell`, one read per module is misspelled and its place returned, so a benchmark (or a test)
// can check that the analysis still finds them at that size.
import * as fs from 'fs';
import * as path from 'path';

export interface MisspelledSite {
  /** Relative to the plugin folder. */
  file: string;
  /** 1-based. */
  line: number;
  name: string;
  didYouMean: string;
}

export interface StylesPlugin {
  dir: string;
  /** Python modules written (helpers plus the entry module and package files). */
  files: string[];
  /** Lines of Python in the plugin. */
  lines: number;
  /** The module a keystroke benchmark should edit (a helper in the middle of the rotation). */
  editTarget: string;
  misspelled: MisspelledSite[];
}

const SCHEMA_FILE = path.resolve(__dirname, '..', '..', 'test', 'fixtures', 'python', 'styles', 'controller-py3', 'schema.json');

const CONFIG = `id: 0c9d8e7f-6a5b-4c3d-9e2f-1a0b9c8d7e6f
name: Styles Bench Plugin
externalVersion: "1.0"
language: PYTHON311
hostTypes:
  - UNIX
pluginType: STAGED
entryPoint: plugin_runner:plugin
srcDir: src
schemaFile: schema.json
buildNumber: "1.0"
`;

const SHELL = `import logging

from dlpx.virtualization import libs

logger = logging.getLogger(__name__)


def run(connection, command, variables=None):
    logger.debug("running %s", command)
    return libs.run_bash(connection, command, variables=variables or {})
`;

/** One helper module of the given style; `bad` marks where the misspelled read goes (`@@name@@`). */
type Template = (i: number) => string;

const controller: Template = (i) => `from common import shell


class Config${i}(object):
    def __init__(self, **kwargs):
        self.staged_source = kwargs.get("staged_source")
        self.virtual_source = kwargs.get("virtual_source")
        self.repository = kwargs.get("repository")
        self.source_config = kwargs.get("source_config")

    @property
    def binaries(self):
        return self.repository.binary_dir

    def data_dir(self):
        return self.source_config.data_dir


class Controller${i}(object):
    def __init__(self, staged_source, repository, **kwargs):
        self.staged_source = staged_source
        self._repository = repository
        self.__extra = kwargs
        self.config = Config${i}(staged_source=staged_source, repository=repository, **kwargs)

    @property
    def params(self):
        return self.staged_source.parameters

    def get_port(self):
        return self.config.staged_source.parameters.@@source_port@@

    def host(self):
        return self.params.source_host

    def command(self):
        return shell.run(
            self.staged_source.staged_connection,
            '"$BIN/tool${i}" --port "$PORT" --host "$HOST" --data "$DATA"',
            {"BIN": self.config.binaries, "PORT": str(self.get_port()), "HOST": self.host(), "DATA": self.config.data_dir()},
        )


class VirtualController${i}(object):
    def __init__(self, **kwargs):
        self.virtual_source = kwargs["virtual_source"]
        self.config = Config${i}(**kwargs)

    def port(self):
        return self.virtual_source.parameters.target_port

    def mount(self):
        return self.config.virtual_source.parameters.mount_path


def run_linked(staged_source, repository, source_config):
    return Controller${i}(staged_source, repository, source_config=source_config).command()


def run_virtual(virtual_source, repository, source_config):
    ctl = VirtualController${i}(virtual_source=virtual_source, repository=repository, source_config=source_config)
    return ctl.port(), ctl.mount()
`;

const hierarchy: Template = (i) => `from common import shell


class Base${i}(object):
    def __init__(self, staged_source=None, virtual_source=None, repository=None, source_config=None):
        self.staged_source = staged_source
        self.virtual_source = virtual_source
        self._repository = repository
        self.source_config = source_config

    def binary(self):
        return self._repository.binary_dir + "/tool${i}"


class _Backup${i}Mixin(object):
    def backup_dir(self):
        return self.staged_source.parameters.@@backup_location@@

    def retention(self):
        return self.staged_source.parameters.retention_days


class _Target${i}Mixin(object):
    def port(self):
        return self.virtual_source.parameters.target_port


class Linked${i}(_Backup${i}Mixin, Base${i}):
    def __init__(self, staged_source, repository, source_config):
        super().__init__(staged_source=staged_source, repository=repository, source_config=source_config)

    def run(self):
        return shell.run(
            self.staged_source.staged_connection,
            '"$BIN" --backup "$DIR" --days "$DAYS" --data "$DATA"',
            {"BIN": self.binary(), "DIR": self.backup_dir(), "DAYS": str(self.retention()), "DATA": self.source_config.data_dir},
        )


class Virtual${i}(_Target${i}Mixin, Base${i}):
    def __init__(self, virtual_source, repository, source_config):
        Base${i}.__init__(self, virtual_source=virtual_source, repository=repository, source_config=source_config)

    def run(self):
        return self.port(), self.source_config.db_name


def run_linked(staged_source, repository, source_config):
    return Linked${i}(staged_source, repository, source_config).run()


def run_virtual(virtual_source, repository, source_config):
    return Virtual${i}(virtual_source, repository, source_config).run()
`;

const builder: Template = (i) => `from common import shell


class Job${i}(object):
    class Builder(object):
        staged_source = None
        repository = None
        source_config = None

        @classmethod
        def set_staged_source(cls, staged_source):
            cls.staged_source = staged_source
            return cls

        @classmethod
        def set_repository(cls, repository):
            cls.repository = repository
            return cls

        @classmethod
        def set_source_config(cls, source_config):
            cls.source_config = source_config
            return cls

        @classmethod
        def build(cls):
            return Job${i}(cls)

    def __init__(self, builder):
        self.staged_source = builder.staged_source
        self.repository = builder.repository
        self._source_config = builder.source_config
        self.params = self.staged_source.parameters

    def run(self):
        tuning = self.params.tuning_settings
        workers = tuning.parallel_workers if tuning is not None else 1
        return shell.run(
            self.staged_source.staged_connection,
            '"$BIN/tool${i}" --user "$USER" --workers "$WORKERS" --db "$DB"',
            {"BIN": self.repository.binary_dir, "USER": self.params.@@ssh_user@@, "WORKERS": str(workers), "DB": self._source_config.db_name},
        )


def run_linked(staged_source, repository, source_config):
    return Job${i}.Builder.set_staged_source(staged_source).set_repository(repository).set_source_config(source_config).build().run()


def run_virtual(virtual_source, repository, source_config):
    return virtual_source.parameters.db_name, repository.engine_version
`;

const union: Template = (i) => `from common import shell


class Context${i}(object):
    def __init__(self, source, repository, dsource):
        self.dsource = dsource
        self.repository = repository
        self.params = source.parameters
        if dsource:
            self.connection = source.staged_connection
        else:
            self.connection = source.connection

    def mount(self):
        return self.params.@@mount_path@@

    def port(self):
        if self.dsource:
            return self.params.source_port
        return self.params.target_port


def pick(staged_source, virtual_source, dsource):
    return staged_source.parameters if dsource else virtual_source.parameters


def run_linked(staged_source, repository, source_config):
    ctx = Context${i}(staged_source, repository, True)
    params = pick(staged_source, None, True)
    return shell.run(ctx.connection, '"$BIN/tool${i}" "$MOUNT" "$PORT" "$DB"', {"BIN": repository.binary_dir, "MOUNT": ctx.mount(), "PORT": str(ctx.port()), "DB": params.db_name})


def run_virtual(virtual_source, repository, source_config):
    ctx = Context${i}(virtual_source, repository, False)
    return ctx.mount(), ctx.port(), pick(None, virtual_source, False).mount_path
`;

const containers: Template = (i) => `from common import shell

STATE${i} = {}


def bundle(staged_source, repository, source_config):
    return {"src": staged_source, "repo": repository, "cfg": source_config, "params": staged_source.parameters}


def split(staged_source, repository):
    return staged_source.parameters, repository


def run_linked(staged_source, repository, source_config):
    b = bundle(staged_source, repository, source_config)
    STATE${i}["repository"] = repository
    params, repo = split(staged_source, repository)
    pair = (staged_source, source_config)
    return shell.run(
        b["src"].staged_connection,
        '"$BIN/tool${i}" "$HOST" "$DATA" "$VERSION" "$DB"',
        {"BIN": STATE${i}["repository"].binary_dir, "HOST": b["params"].@@source_host@@, "DATA": pair[1].data_dir, "VERSION": repo.engine_version, "DB": params.db_name},
    )


def run_virtual(virtual_source, repository, source_config):
    lines = []
    for params in [virtual_source.parameters]:
        lines.append(params.target_port)
    for mount in virtual_source.mounts:
        lines.append(mount.mount_path)
    return lines
`;

const passdown: Template = (i) => `from common import shell


class Layout${i}(object):
    def __init__(self, params):
        self._params = params

    def root(self):
        return self._params.@@mount_path@@


def endpoint(params):
    return "{}@{}".format(params.ssh_user, params.source_host)


def binary(repository):
    return repository.binary_dir + "/tool${i}"


def host_name(connection):
    return connection.environment.host.name


def paths(mounts):
    return [m.mount_path for m in mounts]


def run_linked(staged_source, repository, source_config):
    layout = Layout${i}(staged_source.parameters)
    return shell.run(
        staged_source.staged_connection,
        '"$BIN" "$FROM" "$TO" "$HOST"',
        {"BIN": binary(repository), "FROM": endpoint(staged_source.parameters), "TO": layout.root(), "HOST": host_name(staged_source.staged_connection)},
    )


def run_virtual(virtual_source, repository, source_config):
    return Layout${i}(virtual_source.parameters).root(), paths(virtual_source.mounts), host_name(virtual_source.connection)
`;

const STYLES: [string, Template][] = [
  ['controller', controller],
  ['hierarchy', hierarchy],
  ['builder', builder],
  ['union', union],
  ['containers', containers],
  ['passdown', passdown],
];

/** A one-letter slip that keeps the name far from every other property (drop a letter in the middle). */
function slip(name: string): string {
  const at = Math.floor(name.length / 2);
  return name.slice(0, at) + name.slice(at + 1);
}

export function writeStylesPlugin(dir: string, opts: { modules: number; misspell?: boolean }): StylesPlugin {
  fs.rmSync(dir, { recursive: true, force: true });
  const src = path.join(dir, 'src');
  fs.mkdirSync(path.join(src, 'common'), { recursive: true });
  fs.mkdirSync(path.join(src, 'parts'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'plugin_config.yml'), CONFIG);
  fs.copyFileSync(SCHEMA_FILE, path.join(dir, 'schema.json'));
  const files: string[] = [];
  const write = (rel: string, text: string) => {
    fs.writeFileSync(path.join(dir, rel), text);
    files.push(rel);
  };
  write('src/common/__init__.py', '');
  write('src/common/shell.py', SHELL);
  write('src/parts/__init__.py', '');
  const misspelled: MisspelledSite[] = [];
  const middle = Math.floor(opts.modules / 2);
  let editTarget = '';
  const imports: string[] = [];
  const linkedCalls: string[] = [];
  const virtualCalls: string[] = [];
  for (let i = 0; i < opts.modules; i++) {
    const [style, template] = STYLES[i % STYLES.length];
    const name = `${style}_${i}`;
    const rel = `src/parts/${name}.py`;
    let text = template(i);
    const marker = /@@(\w+)@@/.exec(text)!;
    const lineNo = text.slice(0, marker.index).split('\n').length;
    const wrong = opts.misspell ? slip(marker[1]) : marker[1];
    text = text.replace(marker[0], wrong);
    if (opts.misspell) misspelled.push({ file: rel, line: lineNo, name: wrong, didYouMean: marker[1] });
    write(rel, text);
    if (i === middle) editTarget = path.join(dir, rel);
    imports.push(`from parts import ${name}`);
    linkedCalls.push(`    ${name}.run_linked(staged_source, repository, source_config)`);
    virtualCalls.push(`    ${name}.run_virtual(virtual_source, repository, source_config)`);
  }
  write(
    'src/plugin_runner.py',
    `from dlpx.virtualization.platform import Mount, MountSpecification, Plugin, Status
from generated.definitions import RepositoryDefinition, SnapshotDefinition, SourceConfigDefinition

${imports.join('\n')}

plugin = Plugin()


@plugin.discovery.repository()
def repository_discovery(source_connection):
    return [RepositoryDefinition(name="bench", install_path="/opt/bench", binary_dir="/opt/bench/bin")]


@plugin.discovery.source_config()
def source_config_discovery(source_connection, repository):
    return [SourceConfigDefinition(db_name="main", data_dir=repository.install_path + "/data")]


@plugin.linked.mount_specification()
def linked_mount_specification(staged_source, repository):
    return MountSpecification([Mount(staged_source.staged_connection.environment, staged_source.parameters.mount_path)])


@plugin.linked.pre_snapshot()
def linked_pre_snapshot(staged_source, repository, source_config, optional_snapshot_parameters):
${linkedCalls.join('\n') || '    pass'}


@plugin.linked.post_snapshot()
def linked_post_snapshot(staged_source, repository, source_config, optional_snapshot_parameters):
    return SnapshotDefinition(engine_version=repository.engine_version)


@plugin.linked.status()
def linked_status(staged_source, repository, source_config):
    return Status.ACTIVE


@plugin.virtual.configure()
def configure(virtual_source, snapshot, repository):
    return SourceConfigDefinition(db_name="vdb", data_dir=virtual_source.parameters.mount_path + "/data")


@plugin.virtual.reconfigure()
def reconfigure(virtual_source, repository, source_config, snapshot):
    return SourceConfigDefinition(db_name=source_config.db_name, data_dir=source_config.data_dir)


@plugin.virtual.start()
def start(virtual_source, repository, source_config):
${virtualCalls.join('\n') || '    pass'}


@plugin.virtual.post_snapshot()
def virtual_post_snapshot(virtual_source, repository, source_config):
    return SnapshotDefinition(engine_version=repository.engine_version)


@plugin.virtual.mount_specification()
def virtual_mount_specification(virtual_source, repository):
    return MountSpecification([Mount(virtual_source.connection.environment, virtual_source.parameters.mount_path)])
`,
  );
  const lines = files.reduce((n, f) => n + fs.readFileSync(path.join(dir, f), 'utf8').split('\n').length, 0);
  return { dir, files, lines, editTarget: editTarget || path.join(dir, 'src/plugin_runner.py'), misspelled };
}
