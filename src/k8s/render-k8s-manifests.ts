// Type-only imports of a devDependency: the manifests are checked against Kubernetes' own types when bench is
// built (a misspelt field is a compile error here); nothing of kubernetes-models is loaded at run time.
import type { IJob } from 'kubernetes-models/batch/v1/Job'
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap'
import type { IContainer } from 'kubernetes-models/v1/Container'
import type { ISecret } from 'kubernetes-models/v1/Secret'
import type { IService } from 'kubernetes-models/v1/Service'
import type { IVolume } from 'kubernetes-models/v1/Volume'
import { BenchError } from '../bench-error.js'
import { durationPattern, type Profile } from '../profile/schema.js'

export interface K8sOptions {
  /** The profile file, verbatim: the ConfigMap carries it and the coordinator reads it from there. */
  profileText: string
  /** The same profile, parsed and valid: its stacks must be `url:` stacks (the image holds bench and Node only). */
  profile: Profile
  /** Agents: the Indexed Job's parallelism and completions, and the coordinator's --agents. */
  agents: number
  /** The image built from the Containerfile, as the cluster pulls it (registry/bench:tag). */
  image: string
  namespace: string
  /** Prefix of every object's name, and the app.kubernetes.io/instance label. */
  name: string
  /** The port the coordinator listens on and its Service serves. */
  listenPort: number
  /** How long the coordinator waits for every agent to dial in, and each agent keeps dialing it ("5m"). */
  agentsTimeout: string
  /** Each agent's CPU and memory, requested and limited alike (Guaranteed QoS). */
  agentCpu: string
  agentMemory: string
  /** The shared token, as text (the CLI draws it from crypto.randomBytes; tests pass a fixed one). */
  token: string
  /** bench's exit code for a configuration error (flags, token): the agents' podFailurePolicy fails the Job on it. */
  configErrorExitCode: number
}

/** Where the pods find the profile, the token and the results. */
const profileDir = '/etc/bench'
const tokenDir = '/etc/bench-token'
const resultsDir = '/results'
/** What the coordinator's log holds the results file between (docs/kubernetes.md: getting the results back). */
export const resultsMarkers = {
  begin: '----- bench results.json begin -----',
  end: '----- bench results.json end -----',
} as const
/** The coordinator merges and writes; the load is the agents'. */
const coordinatorResources = { cpu: '1', memory: '1Gi' }

/** A DNS-1035 label, as a Service name must be; the longest suffix added is "-coordinator". */
const namePattern = /^[a-z]([-a-z0-9]*[a-z0-9])?$/
const longestSuffix = '-coordinator'.length
/** A DNS-1123 label, as a namespace must be. */
const namespacePattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
/** A positive Kubernetes quantity: 2, 500m, 1.5, 1Gi, 512M. */
const quantityPattern = /^(\d+(\.\d+)?|\.\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/
const maxAgents = 1000

/**
 * bench k8s: the manifests of a run on Kubernetes — the token's Secret, the profile's ConfigMap, the
 * coordinator's Job and Service, and the agents' Indexed Job — as plain objects, in the order to apply them.
 */
export function renderK8sManifests(options: K8sOptions): [ISecret, IConfigMap, IJob, IService, IJob] {
  checkOptions(options)
  const { name, namespace, agents, listenPort } = options
  // " 90 s" is a duration too; the coordinator's shell line and the agents' arguments want it as one word
  const agentsTimeout = options.agentsTimeout.replace(/\s/g, '')
  const names = {
    secret: `${name}-token`,
    configMap: `${name}-profile`,
    coordinator: `${name}-coordinator`,
    agents: `${name}-agents`,
  }
  const labels = (component: 'coordinator' | 'agent' | 'config') => ({
    'app.kubernetes.io/name': 'bench',
    'app.kubernetes.io/instance': name,
    'app.kubernetes.io/component': component,
  })
  const metadata = (objectName: string, component: 'coordinator' | 'agent' | 'config') => ({
    name: objectName,
    namespace,
    labels: labels(component),
  })
  const tokenFile = `${tokenDir}/token`
  const tokenVolume: IVolume = {
    name: 'token',
    secret: { secretName: names.secret },
  }
  const tokenMount = { name: 'token', mountPath: tokenDir, readOnly: true }
  // the root filesystem is read-only; /tmp is the one scratch place, for whatever a library may want
  const tmpVolume: IVolume = { name: 'tmp', emptyDir: {} }
  const tmpMount = { name: 'tmp', mountPath: '/tmp' }
  const security: IContainer['securityContext'] = {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
  }

  const secret: ISecret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: metadata(names.secret, 'config'),
    type: 'Opaque',
    data: { token: Buffer.from(options.token, 'utf8').toString('base64') },
  }
  const configMap: IConfigMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: metadata(names.configMap, 'config'),
    data: { 'profile.yml': options.profileText },
  }

  const results = `${resultsDir}/results.json`
  const run = [
    'bench run',
    `${profileDir}/profile.yml`,
    `--agents ${agents}`,
    `--listen 0.0.0.0:${listenPort}`,
    `--token-file ${tokenFile}`,
    '--allow-remote',
    `--agents-timeout ${agentsTimeout}`,
    `--out ${results}`,
  ].join(' ')
  // bench runs as a child of sh, which passes on SIGTERM (kubectl delete) so the run stops cleanly; whatever
  // the outcome, the results file follows the tables in the log between two marker lines.
  // The trap comes first: a SIGTERM between bench's start and the trap would end sh alone (exit 143, no results).
  const coordinatorScript = [
    `trap 'kill -TERM "$pid"' TERM`,
    `${run} &`,
    'pid=$!',
    'wait "$pid"; code=$?',
    'if kill -0 "$pid" 2>/dev/null; then wait "$pid"; code=$?; fi',
    `if [ -s ${results} ]; then`,
    `  echo '${resultsMarkers.begin}'`,
    `  cat ${results}`,
    `  echo '${resultsMarkers.end}'`,
    'fi',
    'exit "$code"',
  ].join('\n')

  const coordinator: IJob = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: metadata(names.coordinator, 'coordinator'),
    spec: {
      backoffLimit: 0,
      template: {
        metadata: { labels: labels('coordinator') },
        spec: {
          restartPolicy: 'Never',
          // bench never talks to the Kubernetes API
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true },
          containers: [
            {
              name: 'coordinator',
              image: options.image,
              command: ['/bin/sh', '-c', coordinatorScript],
              ports: [{ name: 'agents', containerPort: listenPort, protocol: 'TCP' }],
              resources: { requests: coordinatorResources, limits: coordinatorResources },
              securityContext: security,
              volumeMounts: [
                { name: 'profile', mountPath: profileDir, readOnly: true },
                tokenMount,
                { name: 'results', mountPath: resultsDir },
                tmpMount,
              ],
            },
          ],
          volumes: [
            { name: 'profile', configMap: { name: names.configMap } },
            tokenVolume,
            { name: 'results', emptyDir: {} },
            tmpVolume,
          ],
        },
      },
    },
  }
  const service: IService = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(names.coordinator, 'coordinator'),
    spec: {
      selector: labels('coordinator'),
      ports: [{ name: 'agents', port: listenPort, targetPort: 'agents', protocol: 'TCP' }],
    },
  }

  const agentResources = { cpu: options.agentCpu, memory: options.agentMemory }
  const agentsJob: IJob = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: metadata(names.agents, 'agent'),
    spec: {
      completionMode: 'Indexed',
      completions: agents,
      parallelism: agents,
      backoffLimit: 0,
      podFailurePolicy: {
        rules: [
          // a bad flag, no token or a refused token: every retry would fail the same way
          {
            action: 'FailJob',
            onExitCodes: { containerName: 'agent', operator: 'In', values: [options.configErrorExitCode] },
          },
          // evicted, preempted or its node drained: not the agent's failure, so it does not count
          { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
        ],
      },
      template: {
        metadata: { labels: labels('agent') },
        spec: {
          restartPolicy: 'Never',
          // bench never talks to the Kubernetes API
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true },
          // one agent per node while there are nodes to go round, then evenly: never two agents on one node
          // while another eligible node has none (nodes whose taints the agents do not tolerate do not count)
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'DoNotSchedule',
              nodeTaintsPolicy: 'Honor',
              labelSelector: { matchLabels: labels('agent') },
            },
          ],
          containers: [
            {
              name: 'agent',
              image: options.image,
              args: [
                'agent',
                '--coordinator',
                `${names.coordinator}.${namespace}.svc:${listenPort}`,
                '--token-file',
                tokenFile,
                '--index',
                '$(JOB_COMPLETION_INDEX)',
                '--name',
                '$(POD_NAME)',
                '--allow-remote',
                // an agent may start long before the coordinator (its image pull, its node): it keeps dialing
                // as long as the coordinator waits for it
                '--connect-timeout',
                agentsTimeout,
              ],
              env: [
                {
                  name: 'JOB_COMPLETION_INDEX',
                  valueFrom: {
                    fieldRef: {
                      fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']",
                    },
                  },
                },
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              ],
              resources: { requests: agentResources, limits: agentResources },
              securityContext: security,
              volumeMounts: [tokenMount, tmpMount],
            },
          ],
          volumes: [tokenVolume, tmpVolume],
        },
      },
    },
  }
  return [secret, configMap, coordinator, service, agentsJob]
}

function checkOptions(options: K8sOptions): void {
  const { name, namespace, agents, image, listenPort, agentCpu, agentMemory, token } = options
  const fail = (message: string, fix: string): never => {
    throw new BenchError('input', message, fix)
  }
  if (!(Number.isInteger(agents) && agents >= 1 && agents <= maxAgents))
    fail(`--agents must be a whole number from 1 to ${maxAgents} (got ${agents})`, 'e.g. --agents 4')
  if (!namePattern.test(name) || name.length > 63 - longestSuffix)
    fail(
      `--name "${name}" is not a Kubernetes name: lower-case letters, digits and "-", starting with a letter, at most ${63 - longestSuffix} characters`,
      'e.g. --name bench-checkout',
    )
  if (!namespacePattern.test(namespace) || namespace.length > 63)
    fail(
      `--namespace "${namespace}" is not a Kubernetes namespace: lower-case letters, digits and "-", at most 63 characters`,
      'e.g. --namespace load-test',
    )
  if (image === '' || /\s/.test(image))
    fail(`--image "${image}" is not an image reference`, 'e.g. --image registry.example.com/bench:0.1.0')
  if (!(Number.isInteger(listenPort) && listenPort >= 1 && listenPort <= 65_535))
    fail(`--listen-port must be a port number from 1 to 65535 (got ${listenPort})`, 'e.g. --listen-port 7070')
  if (!quantityPattern.test(agentCpu) || Number.parseFloat(agentCpu) === 0)
    fail(`--agent-cpu "${agentCpu}" is not a CPU quantity`, 'e.g. --agent-cpu 2 or --agent-cpu 1500m')
  if (!quantityPattern.test(agentMemory) || Number.parseFloat(agentMemory) === 0)
    fail(`--agent-memory "${agentMemory}" is not a memory quantity`, 'e.g. --agent-memory 1Gi')
  if (!durationPattern.test(options.agentsTimeout))
    fail(`--agents-timeout "${options.agentsTimeout}" is not a duration`, 'e.g. --agents-timeout 5m or 90s')
  if (token === '') fail('the token is empty', 'this is a bug in bench; please report it')
  const launched = options.profile.stacks.filter((stack) => stack.url === undefined)
  if (launched.length > 0)
    fail(
      `stack${launched.length === 1 ? '' : 's'} ${launched.map((s) => `"${s.name}"`).join(', ')} of the profile ${launched.length === 1 ? 'launches its own server' : 'launch their own servers'}; on Kubernetes bench loads servers that already run`,
      'name each target by its Service with url:, e.g. stacks: [{ name: web, url: "http://web.default.svc:8080/" }]',
    )
}
