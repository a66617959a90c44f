import { randomBytes } from 'node:crypto'
import { type K8sOptions, renderK8sManifests } from '../k8s/render-k8s-manifests.js'
import { toYamlDocuments } from '../k8s/to-yaml-documents.js'
import { loadProfile } from './load-profile.js'

/**
 * bench k8s: the manifests of a run on Kubernetes on stdout (`bench k8s p.yml --agents 4 --image … | kubectl
 * apply -f -`), with a fresh random token in their Secret. The profile is checked first, as bench run would.
 */
export function k8sCommand(
  args: Omit<K8sOptions, 'profileText' | 'profile' | 'token'> & {
    /** The profile file. */
    profile: string
  },
): void {
  // the coordinator runs with --allow-remote: its targets are the cluster's services
  const { profile: file, ...options } = args
  const loaded = loadProfile(file, true)
  const manifests = renderK8sManifests({
    ...options,
    profileText: loaded.text,
    profile: loaded.profile,
    token: randomBytes(32).toString('base64'),
  })
  process.stdout.write(toYamlDocuments(manifests))
}
