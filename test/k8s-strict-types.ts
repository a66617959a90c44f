import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

/** The kubernetes-models type of each kind bench k8s renders: [module, interface]. */
const typeOf: Record<string, [string, string]> = {
  'v1/Secret': ['kubernetes-models/v1/Secret', 'ISecret'],
  'v1/ConfigMap': ['kubernetes-models/v1/ConfigMap', 'IConfigMap'],
  'v1/Service': ['kubernetes-models/v1/Service', 'IService'],
  'batch/v1/Job': ['kubernetes-models/batch/v1/Job', 'IJob'],
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/**
 * The fields of each manifest that Kubernetes does not know, by its kubernetes-models type (generated from the
 * same OpenAPI schema as the models' validate()). validate() checks types, enums and required fields but lets an
 * unknown field through (the schemas have no additionalProperties: false), as the API server does when it drops
 * one silently; kubectl's strict validation refuses it. So each manifest is also type-checked as an object
 * literal of its type, where TypeScript refuses any field the type does not declare, however deep.
 */
export function unknownFields(manifests: readonly { apiVersion?: string; kind?: string }[]): string[] {
  const source = manifests
    .map((manifest, i) => {
      const type = typeOf[`${manifest.apiVersion}/${manifest.kind}`]
      if (!type) throw new Error(`no kubernetes-models type for ${manifest.apiVersion} ${manifest.kind}`)
      return `import type { ${type[1]} as T${i} } from '${type[0]}'\nexport const m${i}: T${i} = ${JSON.stringify(manifest)}\n`
    })
    .join('')
  // beside the tests' sources, so that kubernetes-models resolves from the repository's node_modules
  const file = join(repoRoot, 'test', 'k8s-manifests.check.ts')
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
  }
  const host = ts.createCompilerHost(options)
  const { getSourceFile, fileExists, readFile } = host
  host.fileExists = (name) => name === file || fileExists(name)
  host.readFile = (name) => (name === file ? source : readFile(name))
  host.getSourceFile = (name, language, ...rest) =>
    name === file ? ts.createSourceFile(name, source, language) : getSourceFile(name, language, ...rest)
  const program = ts.createProgram([file], options, host)
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n')[0] ?? '')
}
