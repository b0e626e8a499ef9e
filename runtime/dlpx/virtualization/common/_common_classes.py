#
# Connections, environments, hosts, users and credentials as plugin code sees them. The engine builds
# them from its own objects; the simulator builds them from the sync profile (dict form below).
#
from dlpx.virtualization.common.exceptions import IncorrectTypeError

__all__ = [
    "RemoteConnection",
    "RemoteEnvironment",
    "RemoteHost",
    "RemoteUser",
    "Credentials",
    "PasswordCredentials",
    "KeyPairCredentials",
]


def _require_str(owner, name, value):
    if not isinstance(value, str):
        raise IncorrectTypeError(owner, name, type(value), str)
    return value


class RemoteConnection(object):
    def __init__(self, environment, user):
        if not isinstance(environment, RemoteEnvironment):
            raise IncorrectTypeError(RemoteConnection, 'environment', type(environment), RemoteEnvironment)
        if not isinstance(user, RemoteUser):
            raise IncorrectTypeError(RemoteConnection, 'user', type(user), RemoteUser)
        self.__environment = environment
        self.__user = user

    @property
    def environment(self):
        return self.__environment

    @property
    def user(self):
        return self.__user

    # The SDK converts to and from protobuf messages; the simulator has no dvp-api, so its requests
    # carry plain dicts with the same field names.
    def to_proto(self):
        return {'environment': self.environment.to_proto(), 'user': self.user.to_proto()}

    @staticmethod
    def from_proto(connection):
        if not isinstance(connection, dict):
            raise IncorrectTypeError(RemoteConnection, 'connection', type(connection), dict)
        return RemoteConnection(environment=RemoteEnvironment.from_proto(connection.get('environment', {})),
                                user=RemoteUser.from_proto(connection.get('user', {})))

    def __repr__(self):
        return 'RemoteConnection(environment={!r}, user={!r})'.format(self.environment, self.user)


class RemoteEnvironment(object):
    def __init__(self, name, reference, host):
        self.__name = _require_str(RemoteEnvironment, 'name', name)
        self.__reference = _require_str(RemoteEnvironment, 'reference', reference)
        if not isinstance(host, RemoteHost):
            raise IncorrectTypeError(RemoteEnvironment, 'host', type(host), RemoteHost)
        # A plain attribute in the SDK too.
        self.host = host

    @property
    def name(self):
        return self.__name

    @property
    def reference(self):
        return self.__reference

    def to_proto(self):
        return {'name': self.name, 'reference': self.reference, 'host': self.host.to_proto()}

    @staticmethod
    def from_proto(environment):
        if not isinstance(environment, dict):
            raise IncorrectTypeError(RemoteEnvironment, 'environment', type(environment), dict)
        return RemoteEnvironment(name=environment.get('name', ''),
                                 reference=environment.get('reference', ''),
                                 host=RemoteHost.from_proto(environment.get('host', {})))

    def __repr__(self):
        return 'RemoteEnvironment(name={!r}, reference={!r})'.format(self.name, self.reference)


class RemoteHost(object):
    def __init__(self, name, reference, binary_path, scratch_path):
        self.__name = _require_str(RemoteHost, 'name', name)
        self.__reference = _require_str(RemoteHost, 'reference', reference)
        self.__binary_path = _require_str(RemoteHost, 'binary_path', binary_path)
        self.__scratch_path = _require_str(RemoteHost, 'scratch_path', scratch_path)

    @property
    def name(self):
        return self.__name

    @property
    def reference(self):
        return self.__reference

    @property
    def binary_path(self):
        return self.__binary_path

    @property
    def scratch_path(self):
        return self.__scratch_path

    def to_proto(self):
        return {'name': self.name, 'reference': self.reference,
                'binary_path': self.binary_path, 'scratch_path': self.scratch_path}

    @staticmethod
    def from_proto(host):
        if not isinstance(host, dict):
            raise IncorrectTypeError(RemoteHost, 'host', type(host), dict)
        return RemoteHost(name=host.get('name', ''), reference=host.get('reference', ''),
                          binary_path=host.get('binary_path', ''), scratch_path=host.get('scratch_path', ''))


class RemoteUser(object):
    def __init__(self, name, reference):
        self.__name = _require_str(RemoteUser, 'name', name)
        self.__reference = _require_str(RemoteUser, 'reference', reference)

    @property
    def name(self):
        return self.__name

    @property
    def reference(self):
        return self.__reference

    def to_proto(self):
        return {'name': self.name, 'reference': self.reference}

    @staticmethod
    def from_proto(user):
        if not isinstance(user, dict):
            raise IncorrectTypeError(RemoteUser, 'user', type(user), dict)
        return RemoteUser(name=user.get('name', ''), reference=user.get('reference', ''))

    def __repr__(self):
        return 'RemoteUser(name={!r}, reference={!r})'.format(self.name, self.reference)


class Credentials(object):
    def __init__(self, username):
        self.__username = _require_str(Credentials, 'username', username)

    @property
    def username(self):
        return self.__username


class PasswordCredentials(Credentials):
    def __init__(self, username, password):
        super(PasswordCredentials, self).__init__(username)
        self.__password = _require_str(PasswordCredentials, 'password', password)

    @property
    def password(self):
        return self.__password


class KeyPairCredentials(Credentials):
    def __init__(self, username, private_key, public_key):
        super(KeyPairCredentials, self).__init__(username)
        self.__private_key = _require_str(KeyPairCredentials, 'private_key', private_key)
        self.__public_key = _require_str(KeyPairCredentials, 'public_key', public_key)

    @property
    def private_key(self):
        return self.__private_key

    @property
    def public_key(self):
        return self.__public_key
