import type { Profile, ScalingParameter, StackSpec } from '../profile/schema.js'

export interface ScalingVariant {
  /** The swept stack, and the count this variant runs it with. */
  stack: string
  n: number
  /** The variant's own stack name in the results: "gunicorn-w4", "nginx-node-i2". */
  name: string
}

export interface ScalingPlan {
  parameter: ScalingParameter
  /** The profile to run: one stack per swept stack × count, and only the closed-loop phases. */
  profile: Profile
  variants: ScalingVariant[]
}

/** The profile's `scaling:` sweep as an ordinary profile of variant stacks; undefined without a sweep. */
export function planScaling(profile: Profile): ScalingPlan | undefined {
  const scaling = profile.scaling
  if (!scaling) return undefined
  const parameter: ScalingParameter = scaling.instances ? 'instances' : 'workers'
  const counts = [...new Set(scaling.instances ?? scaling.workers ?? [])].sort((a, b) => a - b)
  const swept = profile.stacks.filter((s) => scaling.stacks?.includes(s.name) ?? true)
  const variants: ScalingVariant[] = []
  const stacks: StackSpec[] = []
  for (const stack of swept) {
    for (const n of counts) {
      const name = `${stack.name}-${parameter === 'workers' ? 'w' : 'i'}${n}`
      variants.push({ stack: stack.name, n, name })
      stacks.push({ ...stack, name, [parameter]: n })
    }
  }
  return {
    parameter,
    variants,
    profile: { ...profile, stacks, phases: profile.phases.filter((p) => p.connections !== undefined) },
  }
}
