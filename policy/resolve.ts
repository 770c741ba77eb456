import NodeEvaluator from "cfn-resolver-lib";

import { TemplateDocument } from "../ecr/template";

/** Where a template is deployed: the pseudo parameters CloudFormation fills in. */
export interface Deployment {
  partition: string;
  accountId: string;
  region: string;
  stackName: string;
}

export interface ResolvedResource {
  Type: string;
  Properties: Record<string, unknown>;
}

const NO_VALUE = "AWS::NoValue";

/**
 * The resources CloudFormation would create from `document` with `parameters` (as the
 * CreateStack call passes them, strings): defaults filled in, intrinsic functions evaluated,
 * `AWS::NoValue` dropped, and resources whose condition is false left out. Throws when a
 * parameter has neither a value nor a default, which CloudFormation refuses too.
 */
export function resolvedResources(
  document: TemplateDocument,
  deployment: Deployment,
  parameters: Record<string, string>,
): Record<string, ResolvedResource> {
  const values: Record<string, unknown> = {};
  // Templates other than ecr/ecr.yml may declare no parameters, or no resources.
  for (const [name, declaration] of Object.entries(document.Parameters ?? {})) {
    const value = parameters[name] ?? declaration.Default;
    if (value === undefined) {
      throw new Error(`parameter ${name} has no value and no default`);
    }
    values[name] =
      declaration.Type === "CommaDelimitedList" ? String(value).split(",") : String(value);
  }

  // Outputs are left out: they read attributes that only a deployment knows. The resolver
  // fails on a template without a Parameters section, which CloudFormation takes.
  const resolved = new NodeEvaluator(
    { ...document, Parameters: document.Parameters ?? {}, Outputs: {} },
    {
      RefResolvers: {
        "AWS::Partition": deployment.partition,
        "AWS::AccountId": deployment.accountId,
        "AWS::Region": deployment.region,
        "AWS::StackName": deployment.stackName,
        ...values,
      },
    },
  ).evaluateNodes();

  const resources: Record<string, ResolvedResource> = {};
  for (const [logicalId, resource] of Object.entries(resolved.Resources ?? {})) {
    if (resource.Condition !== false) {
      const cleaned = withoutNoValue(resource) as ResolvedResource;
      // CloudFormation reads a resource without Properties as one with none set.
      resources[logicalId] = { ...cleaned, Properties: cleaned.Properties ?? {} };
    }
  }
  return resources;
}

function withoutNoValue(node: unknown): unknown {
  if (Array.isArray(node)) {
    return node.filter((item) => item !== NO_VALUE).map(withoutNoValue);
  }
  if (node !== null && typeof node === "object") {
    return Object.fromEntries(
      Object.entries(node)
        .filter(([, value]) => value !== NO_VALUE)
        .map(([key, value]) => [key, withoutNoValue(value)]),
    );
  }
  return node;
}
