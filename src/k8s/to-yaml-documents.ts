import { stringify } from 'yaml'

/**
 * Objects → one multi-document YAML stream (`---` before each), as `kubectl apply -f -` reads it. Long strings
 * (the profile, the coordinator's script) keep their lines as block scalars.
 */
export function toYamlDocuments(objects: readonly unknown[]): string {
  return objects
    .map((object) => `---\n${stringify(object, { lineWidth: 0, aliasDuplicateObjects: false })}`)
    .join('')
}
