// cfn-resolver-lib ships no types; this is the part of its API that policy/resolve.ts uses.
declare module "cfn-resolver-lib" {
  class NodeEvaluator {
    constructor(template: unknown, parameters: { RefResolvers: Record<string, unknown> });
    /** The template with intrinsic functions evaluated, conditions turned into booleans. */
    evaluateNodes(): { Resources: Record<string, { Type: string; Condition?: unknown }> };
  }
  export = NodeEvaluator;
}
