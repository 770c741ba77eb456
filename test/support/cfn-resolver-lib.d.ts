// cfn-resolver-lib ships no types; this is the part of its API the tests use.
declare module "cfn-resolver-lib" {
  class NodeEvaluator {
    constructor(template: unknown, parameters: { RefResolvers: Record<string, unknown> });
    evaluateNodes(): any;
  }
  export = NodeEvaluator;
}
