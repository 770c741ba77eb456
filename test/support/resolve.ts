import NodeEvaluator = require("cfn-resolver-lib");

import { TemplateDocument } from "../../ecr/template";

/** Where a template is deployed: the pseudo parameters CloudFormation fills in. */
export interface Deployment {
  partition: string;
  accountId: string;
  region: string;
  stackName: string;
}

/**
 * The template's resources as CloudFormation would create them: parameters and pseudo
 * parameters substituted, intrinsic functions evaluated.
 */
export function resolvedResources(
  document: TemplateDocument,
  deployment: Deployment,
  parameters: Record<string, string>,
): Record<string, { Properties: Record<string, any> }> {
  // Outputs are left out: they read attributes that only a deployment knows.
  const resolved = new NodeEvaluator({ ...document, Outputs: {} }, {
    RefResolvers: {
      "AWS::Partition": deployment.partition,
      "AWS::AccountId": deployment.accountId,
      "AWS::Region": deployment.region,
      "AWS::StackName": deployment.stackName,
      ...parameters,
    },
  }).evaluateNodes();
  return resolved.Resources;
}
