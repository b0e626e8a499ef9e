#
# Environment discovery: discovery.repository() on the environment, then discovery.source_config()
# once per repository it found. What they return is checked against the plugin's schema by the
# orchestrator before it is kept.
#
from dlpx.virtualization._engine import events

from dpstudio_engine.common import connection


def _environment(run):
    return run.environment_by_reference(run.request['discovery']['environment'])


def repository(run, name):
    request = {'source_connection': connection(_environment(run))}
    response = run.step(name, lambda: run.plugin.discovery._internal_repository(request))
    run.values['repositories'] = [{'repository': r, 'sourceConfigs': []}
                                  for r in response['return_value']['repositories']]
    events.emit('fact', key='repositories', value=run.values['repositories'])


def source_config(run, name, item):
    request = {'source_connection': connection(_environment(run)), 'repository': item['repository']}
    response = run.step(name, lambda: run.plugin.discovery._internal_source_config(request))
    item['sourceConfigs'] = response['return_value']['source_configs']
    events.emit('fact', key='repositories', value=run.values['repositories'])


OPERATIONS = {'discovery.repository': repository, 'discovery.source_config': source_config}


def items(run, each):
    return run.values.get('repositories', []) if each == 'repository' else []


def result(run, workflow):
    return {'repositories': run.values.get('repositories', [])}
