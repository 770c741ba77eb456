import * as fs from "fs";
import * as path from "path";
import { yamlParse } from "yaml-cfn";

/** The CloudFormation template, deployable on its own with `aws cloudformation deploy`. */
export const TEMPLATE_PATH = path.join(__dirname, "ecr.yml");

/** Logical ID of the repository in the template. */
export const REPOSITORY_LOGICAL_ID = "ECRRepository";

/** The template's outputs, by the name the program exports each under. */
export const TEMPLATE_OUTPUTS = {
  repositoryName: "ECRRepository",
  repositoryUrl: "RepositoryUri",
  repositoryArn: "RepositoryArn",
} as const;

/** A CloudFormation template as parsed, intrinsic functions kept as `{ "Fn::Sub": ... }`. */
export interface TemplateDocument {
  Parameters: Record<string, Record<string, unknown>>;
  Resources: Record<
    string,
    { Type: string; DeletionPolicy?: string; Properties?: Record<string, unknown> }
  >;
  Outputs: Record<string, { Value: unknown }>;
}

export interface Template {
  /** The file's text, exactly as committed: what CloudFormation receives. */
  body: string;
  document: TemplateDocument;
}

export function readTemplate(): Template {
  const body = fs.readFileSync(TEMPLATE_PATH, "utf8");
  return { body, document: parseTemplate(body) };
}

/** Parses a template body, YAML with CloudFormation's short tags or JSON. */
export function parseTemplate(body: string): TemplateDocument {
  return yamlParse(body) as TemplateDocument;
}

/**
 * The template as JSON with the repository's `DeletionPolicy` set to `Retain`: deleting the
 * CloudFormation stack then leaves the repository and its images in place. CloudFormation
 * applies a changed `DeletionPolicy` on a stack update without touching the repository.
 */
export function retainingRepositoryBody(document: TemplateDocument): string {
  const repository = document.Resources[REPOSITORY_LOGICAL_ID];
  const resources = {
    ...document.Resources,
    [REPOSITORY_LOGICAL_ID]: { ...repository, DeletionPolicy: "Retain" },
  };
  return JSON.stringify({ ...document, Resources: resources }, null, 2);
}

/** IAM resource properties that give a resource a custom name. */
const IAM_NAME_PROPERTIES = [
  "UserName",
  "RoleName",
  "GroupName",
  "ManagedPolicyName",
  "InstanceProfileName",
];

/**
 * The capabilities CloudFormation demands before it creates the template's resources:
 * CAPABILITY_IAM for IAM resources, CAPABILITY_NAMED_IAM when one of them has a custom name.
 * Passing exactly these, no more, keeps the acknowledgement meaningful.
 */
export function requiredCapabilities(document: TemplateDocument): string[] {
  const iamResources = Object.values(document.Resources).filter((resource) =>
    resource.Type.startsWith("AWS::IAM::"),
  );
  if (iamResources.length === 0) {
    return [];
  }

  const named = iamResources.some((resource) =>
    IAM_NAME_PROPERTIES.some((property) => resource.Properties?.[property] !== undefined),
  );
  return [named ? "CAPABILITY_NAMED_IAM" : "CAPABILITY_IAM"];
}
