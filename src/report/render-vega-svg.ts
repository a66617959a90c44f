import { parse, View } from 'vega'
import { compile, type TopLevelSpec } from 'vega-lite'

/**
 * A Vega-Lite spec drawn as a standalone SVG string, headless (no canvas, no DOM, no network): the one place
 * that knows vega and vega-lite. Text is measured by Vega's estimate, so labels may sit a pixel off.
 */
export async function renderVegaSvg(spec: Record<string, unknown>): Promise<string> {
  const vegaSpec = compile({ background: 'white', ...spec } as TopLevelSpec).spec
  const view = new View(parse(vegaSpec), { renderer: 'none' })
  try {
    return await view.toSVG()
  } finally {
    view.finalize()
  }
}
