import { parseTemplate } from "../ecr/template";
import { Deployment, ResolvedResource, resolvedResources } from "./resolve";

/** The Pulumi type tokens of the resources the policies read. */
export const TYPES = {
  repository: "aws:ecr/repository:Repository",
  repositoryPolicy: "aws:ecr/repositoryPolicy:RepositoryPolicy",
  lifecyclePolicy: "aws:ecr/lifecyclePolicy:LifecyclePolicy",
  userPolicy: "aws:iam/userPolicy:UserPolicy",
  cloudFormationStack: "aws:cloudformation/stack:Stack",
} as const;

/** The CloudFormation type of the repositories a template declares. */
const TEMPLATE_REPOSITORY_TYPE = "AWS::ECR::Repository";

/**
 * What a policy reads of a resource: the part that `ResourceValidationArgs` (inputs, before an
 * update) and `PolicyResource` (outputs, in a stack validation) have in common.
 */
export interface CheckedResource {
  type: string;
  name: string;
  urn: string;
  props: Record<string, unknown>;
}

/** A violation of a stack validation, reported against one resource. */
export interface StackViolation {
  urn: string;
  message: string;
}

/** How a message names a resource: its type and name, as `pulumi preview` lists it. */
export function describeResource(resource: CheckedResource): string {
  return `${resource.type} "${resource.name}"`;
}

/** A value found, as a message shows it: `false`, `"MUTABLE"`, `not set`. */
export function shown(value: unknown): string {
  return value === undefined ? "not set" : JSON.stringify(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value at `path` in nested objects; undefined where a step is missing. */
export function valueAt(node: unknown, path: string[]): unknown {
  let current = node;
  for (const key of path) {
    if (!isRecord(current)) {
      return undefined;
    }
    current = current[key];
  }
  return current;
}

/** An AWS::ECR::Repository of a CloudFormation stack's template, resolved for its parameters. */
export interface TemplateRepository {
  /** How a message names it: the Pulumi stack resource and the template's logical ID. */
  subject: string;
  properties: Record<string, unknown>;
}

/**
 * A policy pack sees a CloudFormation stack's inputs, not the account, region and partition it
 * deploys to, so the pseudo parameters get fixed placeholders. No check reads them: the
 * partition check reads the template's text instead of resolved ARNs.
 */
const PLACEHOLDER_DEPLOYMENT: Deployment = {
  partition: "aws",
  accountId: "000000000000",
  region: "us-east-1",
  stackName: "placeholder-stack",
};

/**
 * Runs `check` on every AWS::ECR::Repository of a CloudFormation stack's template, as
 * CloudFormation would create it from the stack's `parameters`: defaults, conditions and
 * `AWS::NoValue` applied. A template that cannot be read is a violation of its own, since
 * nothing in it can be shown to meet the baseline.
 */
export function checkTemplateRepositories(
  stack: CheckedResource,
  check: (repository: TemplateRepository) => string[],
): string[] {
  const body = stack.props.templateBody;
  // A template given by templateUrl lives in S3, out of a policy pack's reach: such a stack is
  // not checked.
  if (typeof body !== "string") {
    return [];
  }
  // Read before parsing: an input still unknown at preview must reach the policy engine as
  // such, not be taken for an unreadable template.
  const parameters = stackParameters(stack.props.parameters);

  let resources: Record<string, ResolvedResource>;
  try {
    resources = resolvedResources(parseTemplate(body), PLACEHOLDER_DEPLOYMENT, parameters);
  } catch (error) {
    return [
      `${describeResource(stack)}: templateBody cannot be read as a CloudFormation template ` +
        `(${(error as Error).message}), so its ECR repositories cannot be checked. Fix: give ` +
        "templateBody a template CloudFormation accepts, in YAML or JSON, and a value for every " +
        "parameter without a default.",
    ];
  }

  return Object.entries(resources)
    .filter(([, resource]) => resource.Type === TEMPLATE_REPOSITORY_TYPE)
    .flatMap(([logicalId, resource]) =>
      check({
        subject: `${describeResource(stack)}, template resource ${logicalId}`,
        properties: resource.Properties,
      }),
    );
}

/** A stack's `parameters` input as CreateStack passes them: strings. */
function stackParameters(parameters: unknown): Record<string, string> {
  if (!isRecord(parameters)) {
    return {};
  }
  return Object.fromEntries(
    Object.entries(parameters).map(([name, value]) => [name, String(value)]),
  );
}

/** One statement of a policy document, with the path a message names it by. */
export interface PolicyStatement {
  path: string;
  statement: unknown;
}

/**
 * The statements of a policy document given as a resource holds it: JSON text or an object.
 * Throws a SyntaxError on text that is not JSON.
 */
export function policyStatements(policy: unknown, property: string): PolicyStatement[] {
  const document: unknown = typeof policy === "string" ? JSON.parse(policy) : policy;
  const statement = valueAt(document, ["Statement"]);
  if (Array.isArray(statement)) {
    return statement.map((item, index) => ({
      path: `${property}.Statement[${index}]`,
      statement: item,
    }));
  }
  return statement === undefined ? [] : [{ path: `${property}.Statement`, statement }];
}

/** A principal string in a policy, with the path a message names it by. */
export interface PrincipalEntry {
  path: string;
  principal: string;
}

/**
 * Every principal string a statement's `Principal` names: `"*"` itself, or each value of its
 * AWS, Service, Federated or CanonicalUser lists.
 */
export function principalsOf({ path, statement }: PolicyStatement): PrincipalEntry[] {
  const principal = valueAt(statement, ["Principal"]);
  const base = `${path}.Principal`;
  if (typeof principal === "string") {
    return [{ path: base, principal }];
  }
  if (!isRecord(principal)) {
    return [];
  }
  return Object.entries(principal).flatMap(([kind, value]) => {
    if (typeof value === "string") {
      return [{ path: `${base}.${kind}`, principal: value }];
    }
    if (Array.isArray(value)) {
      return value
        .map((item, index) => ({ path: `${base}.${kind}[${index}]`, principal: item }))
        .filter((entry): entry is PrincipalEntry => typeof entry.principal === "string");
    }
    return [];
  });
}

/** An ARN's partition and the ARN, as found in a policy's text. */
const ARN = /\barn:([^:"\s]*):[^"\s]*/g;

/**
 * The ARNs of a policy document by partition, the first ARN of each kept to show. The text is
 * searched rather than the parsed document, so ARNs in conditions and resources count too.
 */
export function arnsByPartition(policy: unknown): Map<string, string> {
  const text = typeof policy === "string" ? policy : JSON.stringify(policy);
  const partitions = new Map<string, string>();
  for (const match of text.matchAll(ARN)) {
    if (!partitions.has(match[1])) {
      partitions.set(match[1], match[0]);
    }
  }
  return partitions;
}

/**
 * A partition written into an ARN: `arn:aws:`, and the other partitions' `arn:aws-cn:`,
 * `arn:aws-us-gov:`. A template that writes `arn:${AWS::Partition}:` does not match.
 */
const HARD_CODED_PARTITION = /\barn:aws(?:-[a-z]+)*:[^\s"',\]}]*/g;

/** Each ARN in a template's text that names its partition, with its line number. */
export function hardCodedPartitions(text: string): { line: number; arn: string }[] {
  return text.split(/\r?\n/).flatMap((line, index) =>
    Array.from(line.matchAll(HARD_CODED_PARTITION), (match) => ({
      line: index + 1,
      arn: match[0],
    })),
  );
}
