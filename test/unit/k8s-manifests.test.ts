import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { Job } from 'kubernetes-models/batch/v1/Job'
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap'
import { Secret } from 'kubernetes-models/v1/Secret'
import { Service } from 'kubernetes-models/v1/Service'
import { BenchError } from '../../src/bench-error.js'
import { type K8sOptions, renderK8sManifests, resultsMarkers } from '../../src/k8s/render-k8s-manifests.js'
import { toYamlDocuments } from '../../src/k8s/to-yaml-documents.js'
import { parseProfile } from '../../src/profile/parse-profile.js'
import { unknownFields } from '../k8s-strict-types.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const profileText = readFileSync(join(root, 'test/fixtures/k8s-profile.yml'), 'utf8')
const golden = join(root, 'test/fixtures/k8s-4-agents.yaml')

function options(overrides: Partial<K8sOptions> = {}): K8sOptions {
  const parsed = parseProfile(overrides.profileText ?? profileText, { allowRemote: true, env: {} })
  assert.ok(parsed.ok, JSON.stringify(parsed))
  return {
    profileText,
    profile: parsed.profile,
    agents: 4,
    image: 'registry.example.com/bench:0.1.0',
    namespace: 'default',
    name: 'bench',
    listenPort: 7070,
    agentsTimeout: '5m',
    agentCpu: '2',
    agentMemory: '1Gi',
    token: 'golden-test-token-not-a-secret',
    configErrorExitCode: 2,
    ...overrides,
  }
}

/** Each manifest as its kubernetes-models class: validate() throws on a wrong type, value or missing field. */
function validateAll(manifests: readonly object[]): void {
  const classes = { Secret, ConfigMap, Service, Job } as const
  for (const manifest of manifests) {
    const kind = (manifest as { kind: keyof typeof classes }).kind
    const Model = classes[kind]
    assert.ok(Model, `no model for ${kind}`)
    new Model(manifest as never).validate()
  }
}

describe('bench k8s manifests, against the Kubernetes schema (kubernetes-models 4.5)', () => {
  const manifests = renderK8sManifests(options())
  const [secret, configMap, coordinator, service, agents] = manifests

  it('every manifest is valid for its model and has no field its type does not know', () => {
    assert.deepEqual(
      manifests.map((m) => m.kind),
      ['Secret', 'ConfigMap', 'Job', 'Service', 'Job'],
    )
    validateAll(manifests)
    assert.deepEqual(unknownFields(manifests), [])
  })

  it('a misspelt field fails: completionsMode for completionMode', () => {
    const misspelt = structuredClone(agents) as unknown as {
      kind: string
      apiVersion: string
      spec: Record<string, unknown>
    }
    misspelt.spec.completionsMode = misspelt.spec.completionMode
    delete misspelt.spec.completionMode
    const problems = unknownFields([misspelt])
    assert.equal(problems.length, 1, problems.join('\n'))
    assert.match(problems[0] ?? '', /'"completionsMode"' does not exist in type 'IJobSpec'/)
  })

  it('a misspelt field deep in the pod template fails too: topologyKeys', () => {
    const misspelt = structuredClone(agents)
    const constraint = misspelt.spec?.template.spec?.topologySpreadConstraints?.[0] as unknown as Record<
      string,
      unknown
    >
    constraint.topologyKeys = constraint.topologyKey
    assert.match(
      unknownFields([misspelt]).join('\n'),
      /'"topologyKeys"' does not exist in type 'ITopologySpreadConstraint'/,
    )
  })

  it('a wrong value fails validate(): completionMode "indexed", restartPolicy "Sometimes"', () => {
    const lower = structuredClone(agents)
    Object.assign(lower.spec ?? {}, { completionMode: 'indexed' })
    assert.throws(() => validateAll([lower]), /completionMode/)
    const never = structuredClone(coordinator)
    Object.assign(never.spec?.template.spec ?? {}, { restartPolicy: 'Sometimes' })
    assert.throws(() => validateAll([never]), /restartPolicy/)
  })

  it('the agents: one Indexed Job of N, no retries, failed at once on exit 2, spread over nodes, Guaranteed', () => {
    const spec = agents.spec
    assert.ok(spec)
    assert.equal(spec.completionMode, 'Indexed')
    assert.equal(spec.parallelism, 4)
    assert.equal(spec.completions, 4)
    assert.equal(spec.backoffLimit, 0)
    assert.deepEqual(spec.podFailurePolicy?.rules, [
      { action: 'FailJob', onExitCodes: { containerName: 'agent', operator: 'In', values: [2] } },
      { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
    ])
    const pod = spec.template.spec
    assert.equal(pod?.restartPolicy, 'Never')
    const spread = pod?.topologySpreadConstraints?.[0]
    assert.equal(spread?.topologyKey, 'kubernetes.io/hostname')
    assert.equal(spread?.maxSkew, 1)
    assert.deepEqual(spread?.labelSelector?.matchLabels, spec.template.metadata?.labels)
    const container = pod?.containers[0]
    assert.deepEqual(container?.resources?.requests, { cpu: '2', memory: '1Gi' })
    assert.deepEqual(container?.resources?.limits, container?.resources?.requests)
    assert.deepEqual(container?.args, [
      'agent',
      '--coordinator',
      'bench-coordinator.default.svc:7070',
      '--token-file',
      '/etc/bench-token/token',
      '--index',
      '$(JOB_COMPLETION_INDEX)',
      '--name',
      '$(POD_NAME)',
      '--allow-remote',
      '--connect-timeout',
      '5m',
    ])
    // $(VAR) in args expands only variables the container declares
    assert.deepEqual(
      container?.env?.map((e) => [e.name, e.valueFrom?.fieldRef?.fieldPath]),
      [
        ['JOB_COMPLETION_INDEX', "metadata.annotations['batch.kubernetes.io/job-completion-index']"],
        ['POD_NAME', 'metadata.name'],
      ],
    )
  })

  it('the coordinator: a Job that runs bench run on the profile and prints the results, behind its Service', () => {
    assert.equal(coordinator.spec?.backoffLimit, 0)
    const pod = coordinator.spec?.template.spec
    assert.equal(pod?.restartPolicy, 'Never')
    const script = pod?.containers[0]?.command?.[2] ?? ''
    assert.match(
      script,
      /^bench run \/etc\/bench\/profile\.yml --agents 4 --listen 0\.0\.0\.0:7070 --token-file \/etc\/bench-token\/token --allow-remote --agents-timeout 5m --out \/results\/results\.json &$/m,
    )
    assert.ok(script.includes(resultsMarkers.begin) && script.includes(resultsMarkers.end))
    assert.deepEqual(service.spec?.selector, coordinator.spec?.template.metadata?.labels)
    assert.equal(service.spec?.ports?.[0]?.port, 7070)
    assert.equal(configMap.data?.['profile.yml'], profileText)
    assert.equal(Buffer.from(secret.data?.token ?? '', 'base64').toString(), 'golden-test-token-not-a-secret')
    for (const manifest of manifests) {
      assert.equal(manifest.metadata?.labels?.['app.kubernetes.io/name'], 'bench')
      assert.equal(manifest.metadata?.labels?.['app.kubernetes.io/instance'], 'bench')
    }
  })

  it('N = 4 renders exactly test/fixtures/k8s-4-agents.yaml (BENCH_UPDATE_GOLDEN=1 rewrites it)', () => {
    const yaml = toYamlDocuments(manifests)
    if (process.env.BENCH_UPDATE_GOLDEN === '1') writeFileSync(golden, yaml)
    assert.equal(yaml, readFileSync(golden, 'utf8'))
  })

  it('a duration written with spaces reaches the shell line and the arguments as one word', () => {
    const [, , coordinatorOf, , agentsOf] = renderK8sManifests(options({ agentsTimeout: ' 90 s' }))
    assert.match(
      coordinatorOf.spec?.template.spec?.containers[0]?.command?.[2] ?? '',
      / --agents-timeout 90s /,
    )
    assert.deepEqual(agentsOf.spec?.template.spec?.containers[0]?.args?.slice(-2), [
      '--connect-timeout',
      '90s',
    ])
  })

  it('the namespace, the name and the agent size go where they belong', () => {
    const [, , , , other] = renderK8sManifests(
      options({ namespace: 'load', name: 'checkout', agents: 8, agentCpu: '1500m', agentMemory: '2Gi' }),
    )
    assert.equal(other.metadata?.name, 'checkout-agents')
    assert.equal(other.metadata?.namespace, 'load')
    assert.equal(other.spec?.parallelism, 8)
    const container = other.spec?.template.spec?.containers[0]
    assert.equal(container?.args?.[2], 'checkout-coordinator.load.svc:7070')
    assert.deepEqual(container?.resources?.limits, { cpu: '1500m', memory: '2Gi' })
  })
})

describe('bench k8s refuses what would not run, as an input error', () => {
  const refusals: [string, Partial<K8sOptions>, RegExp][] = [
    ['no agents', { agents: 0 }, /--agents must be a whole number/],
    ['a name Kubernetes refuses', { name: 'Bench_1' }, /--name "Bench_1" is not a Kubernetes name/],
    ['a name too long for its Service', { name: 'b'.repeat(52) }, /at most 51 characters/],
    ['a bad namespace', { namespace: 'Load' }, /--namespace "Load"/],
    ['an image with a space', { image: 'bench dev' }, /--image "bench dev"/],
    ['a CPU that is none', { agentCpu: 'two' }, /--agent-cpu "two"/],
    ['no memory', { agentMemory: '0' }, /--agent-memory "0"/],
    ['a timeout that is none', { agentsTimeout: 'soon' }, /--agents-timeout "soon"/],
  ]
  for (const [what, overrides, message] of refusals) {
    it(what, () => {
      assert.throws(
        () => renderK8sManifests(options(overrides)),
        (error) => error instanceof BenchError && error.kind === 'input' && message.test(error.message),
      )
    })
  }
  it('a stack bench would launch: the image holds bench only', () => {
    const launched = profileText.replace(
      '  - { name: web, url: "http://web.default.svc.cluster.local:8080/" }',
      '  - { name: mine, app: node }\napps:\n  node: { command: node, args: [--port, "{port}"] }',
    )
    assert.notEqual(launched, profileText, 'test bug: the profile did not change')
    assert.throws(
      () => renderK8sManifests(options({ profileText: launched })),
      (error) =>
        error instanceof BenchError &&
        /stack "mine" of the profile launches its own server/.test(error.message),
    )
  })
})
