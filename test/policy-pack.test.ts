import * as assert from "assert";

import {
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";

import { dockerLoginPolicy, repositoryPolicy } from "../ecr/policy";
import { readTemplate, retainingRepositoryBody } from "../ecr/template";
import {
  forbidHardCodedPartition,
  forbidWildcardPrincipal,
  policies,
  requireLifecyclePolicy,
  requireScanOnPush,
  requireTagImmutability,
} from "../policy/policies";
import { ACCOUNT_ID, iamUsers, PROJECT, runProgram } from "./support/program";

// The proxy @pulumi/policy wraps every resource's properties in: reading a value that is
// unknown at preview throws UnknownValueError. It is internal to the package, so not typed.
const {
  unknownCheckingProxy,
  unknownStringValue,
  UnknownValueError,
} = require("@pulumi/policy/proxy");

const REPOSITORY = "aws:ecr/repository:Repository";
const REPOSITORY_POLICY = "aws:ecr/repositoryPolicy:RepositoryPolicy";
const LIFECYCLE_POLICY = "aws:ecr/lifecyclePolicy:LifecyclePolicy";
const USER_POLICY = "aws:iam/userPolicy:UserPolicy";
const CLOUDFORMATION_STACK = "aws:cloudformation/stack:Stack";

/** A resource as the engine describes it to a policy pack: type, name and properties. */
interface Resource {
  type: string;
  name: string;
  props: Record<string, unknown>;
}

function urnOf(resource: Resource): string {
  return `urn:pulumi:dev::${PROJECT}::${resource.type}::${resource.name}`;
}

/** What @pulumi/policy's `analyze` passes to `validateResource`: the resource's inputs. */
function resourceArgs(resource: Resource): ResourceValidationArgs {
  const props = unknownCheckingProxy(resource.props);
  return {
    type: resource.type,
    props,
    urn: urnOf(resource),
    name: resource.name,
    opts: {
      protect: false,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
    },
    stackTags: new Map(),
    isType: (resourceClass: any) => resourceClass.__pulumiType === resource.type,
    asType: ((resourceClass: any) =>
      resourceClass.__pulumiType === resource.type ? props : undefined) as any,
    getConfig: <T extends object>() => ({}) as T,
    notApplicable: (reason?: string) => {
      throw new Error(`not applicable: ${reason}`);
    },
  };
}

/** What @pulumi/policy's `analyzeStack` passes to `validateStack`: every resource's outputs. */
function stackArgs(resources: Resource[]): StackValidationArgs {
  const policyResources: PolicyResource[] = resources.map((resource) => {
    const { props, isType, asType, opts, type, name, urn } = resourceArgs(resource);
    return {
      type,
      props,
      urn,
      name,
      opts,
      isType,
      asType,
      dependencies: [],
      propertyDependencies: {},
    } as PolicyResource;
  });
  return {
    resources: policyResources,
    stackTags: new Map(),
    getConfig: <T extends object>() => ({}) as T,
    notApplicable: (reason?: string) => {
      throw new Error(`not applicable: ${reason}`);
    },
  };
}

/** The messages a resource policy reports on one resource. */
async function resourceViolations(
  policy: ResourceValidationPolicy,
  resource: Resource,
): Promise<string[]> {
  const messages: string[] = [];
  const validations = [policy.validateResource ?? []].flat();
  for (const validate of validations) {
    await validate(resourceArgs(resource), (message) => messages.push(message));
  }
  return messages;
}

/** The messages a stack policy reports, each with the URN it is reported against. */
async function stackViolations(
  policy: StackValidationPolicy,
  resources: Resource[],
): Promise<{ urn?: string; message: string }[]> {
  const violations: { urn?: string; message: string }[] = [];
  await policy.validateStack(stackArgs(resources), (message, urn) =>
    violations.push({ urn, message }),
  );
  return violations;
}

/** Every violation the whole pack reports on a stack's resources, as `policy: message`. */
async function packViolations(resources: Resource[]): Promise<string[]> {
  const violations: string[] = [];
  for (const policy of policies) {
    if ("validateResource" in policy) {
      for (const resource of resources) {
        const messages = await resourceViolations(policy, resource);
        violations.push(...messages.map((message) => `${policy.name}: ${message}`));
      }
    }
    if ("validateStack" in policy) {
      const found = await stackViolations(policy, resources);
      violations.push(...found.map(({ message }) => `${policy.name}: ${message}`));
    }
  }
  return violations.sort();
}

/** A native repository with this project's secure settings, changed by `props`. */
function repository(props: Record<string, unknown> = {}): Resource {
  return {
    type: REPOSITORY,
    name: "repository",
    props: {
      name: "ecr-repository-dev",
      forceDelete: false,
      imageScanningConfiguration: { scanOnPush: true },
      imageTagMutability: "IMMUTABLE",
      encryptionConfigurations: [{ encryptionType: "AES256" }],
      ...props,
    },
  };
}

function lifecyclePolicy(repositoryName: string): Resource {
  return {
    type: LIFECYCLE_POLICY,
    name: "repository",
    props: { repository: repositoryName, policy: '{"rules":[]}' },
  };
}

function policyResource(type: string, policy: unknown): Resource {
  return { type, name: "repository", props: { repository: "ecr-repository-dev", policy } };
}

const ALICE = `arn:aws:iam::${ACCOUNT_ID}:user/alice`;

/** A CloudFormation stack of `body` (ecr/ecr.yml unless given) with these parameters. */
function cloudFormationStack(
  parameters: Record<string, string>,
  body: string = readTemplate().body,
): Resource {
  return {
    type: CLOUDFORMATION_STACK,
    name: "repository",
    props: {
      name: "ecr-repository-dev",
      templateBody: body,
      parameters: { IAMUserName: "alice", ...parameters },
      capabilities: ["CAPABILITY_IAM"],
    },
  };
}

const NATIVE_REPOSITORY = `${REPOSITORY} "repository"`;
const STACK = `${CLOUDFORMATION_STACK} "repository"`;
const TEMPLATE_REPOSITORY = `${STACK}, template resource ECRRepository`;

/** How a scan-on-push violation ends, for the property it names. */
function scanFix(property: string): string {
  return (
    `so pushed images are not scanned for vulnerabilities. Fix: set ${property} to true (in ` +
    "this project: pulumi config set scanOnPush true)."
  );
}
const LIFECYCLE_FIX =
  "so the repository keeps every image pushed to it. Fix: give the repository a lifecycle " +
  "policy (in this project: pulumi config set untaggedImageExpiryDays 14, or set " +
  "maxTaggedImageCount above 0).";
/** How a tag-immutability violation ends, for the property it names. */
function mutabilityFix(property: string): string {
  return (
    `so a pushed tag can be moved to another image. Fix: set ${property} to "IMMUTABLE" (in ` +
    "this project: pulumi config set imageTagMutability IMMUTABLE)."
  );
}
const WILDCARD_FIX =
  "a wildcard that lets in every principal it matches, in any AWS account. Fix: name each " +
  "IAM user, role or account root by its full ARN (in this project: pulumi config set --path " +
  "'pushPrincipals[0]' ARN, or pullPrincipals).";
const MIXED_PARTITION_FIX =
  "so at least one was written by hand for a partition the stack does not deploy to. Fix: " +
  "build every ARN from the partition AWS reports, with aws.getPartition or from an ARN AWS " +
  "returned (in this project: give pushPrincipals and pullPrincipals in the stack's partition).";
const TEMPLATE_PARTITION_FIX =
  "so the template fails in every other partition (aws-cn, aws-us-gov). Fix: build the ARN " +
  'with !Sub "arn:${AWS::Partition}:..." instead.';

/** Why JSON.parse refuses `text`, in the words of this Node.js version. */
function jsonError(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${text} is JSON`);
}

describe("policy pack (policy/)", () => {
  it("makes every policy mandatory but tag immutability, which it advises", () => {
    assert.deepStrictEqual(
      Object.fromEntries(policies.map((policy) => [policy.name, policy.enforcementLevel])),
      {
        "ecr-scan-on-push": "mandatory",
        "ecr-lifecycle-policy": "mandatory",
        "ecr-tag-immutability": "advisory",
        "ecr-no-wildcard-principal": "mandatory",
        "no-hard-coded-partition": "mandatory",
      },
    );
  });

  describe("ecr-scan-on-push", () => {
    it("passes a native repository that scans on push", async () => {
      assert.deepStrictEqual(await resourceViolations(requireScanOnPush, repository()), []);
    });

    it("fails a native repository that does not, or leaves it to ECR's default", async () => {
      const property = "imageScanningConfiguration.scanOnPush";
      assert.deepStrictEqual(
        await resourceViolations(
          requireScanOnPush,
          repository({ imageScanningConfiguration: { scanOnPush: false } }),
        ),
        [`${NATIVE_REPOSITORY}: ${property} is false, ${scanFix(property)}`],
      );
      assert.deepStrictEqual(
        await resourceViolations(
          requireScanOnPush,
          repository({ imageScanningConfiguration: undefined }),
        ),
        [`${NATIVE_REPOSITORY}: ${property} is not set, ${scanFix(property)}`],
      );
    });

    it("passes the template with its defaults", async () => {
      assert.deepStrictEqual(
        await resourceViolations(requireScanOnPush, cloudFormationStack({})),
        [],
      );
    });

    it("fails the template with ScanOnPush false, in YAML or JSON", async () => {
      const expected = [
        `${TEMPLATE_REPOSITORY}: ImageScanningConfiguration.ScanOnPush is false, ` +
          scanFix("ImageScanningConfiguration.ScanOnPush"),
      ];
      assert.deepStrictEqual(
        await resourceViolations(requireScanOnPush, cloudFormationStack({ ScanOnPush: "false" })),
        expected,
      );
      const json = retainingRepositoryBody(readTemplate().document);
      assert.deepStrictEqual(
        await resourceViolations(
          requireScanOnPush,
          cloudFormationStack({ ScanOnPush: "false" }, json),
        ),
        expected,
      );
    });

    it("checks every repository of a template whose condition holds, and no other", async () => {
      const body = [
        "Parameters:",
        "  Extra: { Type: String, Default: 'false' }",
        "Conditions:",
        "  HasExtra: !Equals [!Ref Extra, 'true']",
        "Resources:",
        "  Scanned:",
        "    Type: AWS::ECR::Repository",
        "    Properties: { ImageScanningConfiguration: { ScanOnPush: true } }",
        "  Unscanned:",
        "    Type: AWS::ECR::Repository",
        "    Properties: { ImageScanningConfiguration: !Ref AWS::NoValue }",
        "  Extra:",
        "    Type: AWS::ECR::Repository",
        "    Condition: HasExtra",
        "  Logs:",
        "    Type: AWS::Logs::LogGroup",
      ].join("\n");
      const property = "ImageScanningConfiguration.ScanOnPush";
      const problem = (logicalId: string) =>
        `${STACK}, template resource ${logicalId}: ${property} is not set, ` + scanFix(property);

      assert.deepStrictEqual(
        await resourceViolations(requireScanOnPush, cloudFormationStack({}, body)),
        [problem("Unscanned")],
      );
      assert.deepStrictEqual(
        await resourceViolations(requireScanOnPush, cloudFormationStack({ Extra: "true" }, body)),
        [problem("Unscanned"), problem("Extra")],
      );
    });

    it("fails a template it cannot resolve, naming why", async () => {
      const stack = cloudFormationStack({});
      delete (stack.props.parameters as Record<string, string>).IAMUserName;
      assert.deepStrictEqual(await resourceViolations(requireScanOnPush, stack), [
        `${STACK}: templateBody cannot be read as a CloudFormation template (parameter ` +
          "IAMUserName has no value and no default), so its ECR repositories cannot be " +
          "checked. Fix: give templateBody a template CloudFormation accepts, in YAML or " +
          "JSON, and a value for every parameter without a default.",
      ]);
    });

    it("leaves a parameter unknown at preview to the policy engine", async () => {
      const stack = cloudFormationStack({ ScanOnPush: unknownStringValue });
      await assert.rejects(resourceViolations(requireScanOnPush, stack), UnknownValueError);
    });

    it("ignores other resources, and stacks whose template is in S3", async () => {
      assert.deepStrictEqual(
        await resourceViolations(requireScanOnPush, {
          type: "aws:s3/bucket:Bucket",
          name: "bucket",
          props: {},
        }),
        [],
      );
      assert.deepStrictEqual(
        await resourceViolations(requireScanOnPush, {
          type: CLOUDFORMATION_STACK,
          name: "repository",
          props: { name: "s3", templateUrl: "https://bucket.s3.amazonaws.com/ecr.yml" },
        }),
        [],
      );
    });
  });

  describe("ecr-lifecycle-policy", () => {
    it("passes native repositories that each have a lifecycle policy", async () => {
      const resources = [
        repository(),
        lifecyclePolicy("ecr-repository-dev"),
        { ...repository({ name: "web-api" }), name: "web" },
        { ...lifecyclePolicy("web-api"), name: "web" },
      ];
      assert.deepStrictEqual(await stackViolations(requireLifecyclePolicy, resources), []);
    });

    it("fails a native repository that has none, against the repository", async () => {
      const resources = [repository(), lifecyclePolicy("other-repository")];
      assert.deepStrictEqual(await stackViolations(requireLifecyclePolicy, resources), [
        {
          urn: urnOf(repository()),
          message:
            `${NATIVE_REPOSITORY}: no ${LIFECYCLE_POLICY} has repository = ` +
            `"ecr-repository-dev" (the stack's are for "other-repository"), ${LIFECYCLE_FIX}`,
        },
      ]);
      assert.deepStrictEqual(await stackViolations(requireLifecyclePolicy, [repository()]), [
        {
          urn: urnOf(repository()),
          message:
            `${NATIVE_REPOSITORY}: no ${LIFECYCLE_POLICY} has repository = ` +
            `"ecr-repository-dev" (the stack has none), ${LIFECYCLE_FIX}`,
        },
      ]);
    });

    it("passes the template with its defaults, or one rule on", async () => {
      const cases: Record<string, string>[] = [
        {},
        { UntaggedImageExpiryDays: "0" },
        { MaxTaggedImageCount: "0" },
      ];
      for (const parameters of cases) {
        assert.deepStrictEqual(
          await resourceViolations(requireLifecyclePolicy, cloudFormationStack(parameters)),
          [],
        );
      }
    });

    it("fails the template with both lifecycle rules off", async () => {
      const stack = cloudFormationStack({ UntaggedImageExpiryDays: "0", MaxTaggedImageCount: "0" });
      assert.deepStrictEqual(await resourceViolations(requireLifecyclePolicy, stack), [
        `${TEMPLATE_REPOSITORY}: LifecyclePolicy.LifecyclePolicyText is not set, ${LIFECYCLE_FIX}`,
      ]);
    });

    it("fails a template's empty lifecycle policy text", async () => {
      const body = [
        "Resources:",
        "  ECRRepository:",
        "    Type: AWS::ECR::Repository",
        "    Properties: { LifecyclePolicy: { LifecyclePolicyText: '' } }",
      ].join("\n");
      assert.deepStrictEqual(
        await resourceViolations(requireLifecyclePolicy, cloudFormationStack({}, body)),
        [`${TEMPLATE_REPOSITORY}: LifecyclePolicy.LifecyclePolicyText is "", ${LIFECYCLE_FIX}`],
      );
    });
  });

  describe("ecr-tag-immutability", () => {
    it("passes a native repository with IMMUTABLE tags", async () => {
      assert.deepStrictEqual(await resourceViolations(requireTagImmutability, repository()), []);
    });

    it("fails a native repository with any other mutability, or none", async () => {
      const fix = mutabilityFix("imageTagMutability");
      for (const [value, shown] of [
        ["MUTABLE", '"MUTABLE"'],
        ["IMMUTABLE_WITH_EXCLUSION", '"IMMUTABLE_WITH_EXCLUSION"'],
        [undefined, "not set"],
      ]) {
        assert.deepStrictEqual(
          await resourceViolations(
            requireTagImmutability,
            repository({ imageTagMutability: value }),
          ),
          [`${NATIVE_REPOSITORY}: imageTagMutability is ${shown}, ${fix}`],
        );
      }
    });

    it("passes the template with its defaults", async () => {
      assert.deepStrictEqual(
        await resourceViolations(requireTagImmutability, cloudFormationStack({})),
        [],
      );
    });

    it("fails the template with MUTABLE tags", async () => {
      assert.deepStrictEqual(
        await resourceViolations(
          requireTagImmutability,
          cloudFormationStack({ ImageTagMutability: "MUTABLE" }),
        ),
        [
          `${TEMPLATE_REPOSITORY}: ImageTagMutability is "MUTABLE", ` +
            mutabilityFix("ImageTagMutability"),
        ],
      );
    });
  });

  describe("ecr-no-wildcard-principal", () => {
    const REPOSITORY_POLICY_SUBJECT = `${REPOSITORY_POLICY} "repository"`;
    const allow = (principal: unknown) => ({
      Effect: "Allow",
      Principal: principal,
      Action: ["ecr:BatchGetImage"],
    });

    it("passes the program's repository policy, JSON text or object", async () => {
      const policy = repositoryPolicy(ALICE, {
        pushPrincipals: [`arn:aws:iam::${ACCOUNT_ID}:role/ci`],
        pullPrincipals: ["arn:aws:iam::210987654321:root"],
      });
      for (const form of [JSON.stringify(policy), policy]) {
        assert.deepStrictEqual(
          await resourceViolations(
            forbidWildcardPrincipal,
            policyResource(REPOSITORY_POLICY, form),
          ),
          [],
        );
      }
    });

    it('fails "*", {"AWS": "*"} and a principal with a * in it', async () => {
      const cases: [unknown, string, string][] = [
        [{ Statement: [allow("*")] }, "policy.Statement[0].Principal", "*"],
        [{ Statement: allow({ AWS: "*" }) }, "policy.Statement.Principal.AWS", "*"],
        [
          { Statement: [allow({ AWS: ALICE }), allow({ AWS: [ALICE, "arn:aws:iam::*:root"] })] },
          "policy.Statement[1].Principal.AWS[1]",
          "arn:aws:iam::*:root",
        ],
      ];
      for (const [policy, path, principal] of cases) {
        assert.deepStrictEqual(
          await resourceViolations(
            forbidWildcardPrincipal,
            policyResource(REPOSITORY_POLICY, JSON.stringify(policy)),
          ),
          [
            `${REPOSITORY_POLICY_SUBJECT}: ${path} is ${JSON.stringify(principal)}, ` +
              WILDCARD_FIX,
          ],
        );
      }
    });

    it("passes a Deny statement with a wildcard principal, which takes access away", async () => {
      const policy = { Statement: [allow({ AWS: ALICE }), { ...allow("*"), Effect: "Deny" }] };
      assert.deepStrictEqual(
        await resourceViolations(
          forbidWildcardPrincipal,
          policyResource(REPOSITORY_POLICY, policy),
        ),
        [],
      );
    });

    it("fails a policy that is not JSON", async () => {
      const reason = jsonError("not json");
      assert.deepStrictEqual(
        await resourceViolations(
          forbidWildcardPrincipal,
          policyResource(REPOSITORY_POLICY, "not json"),
        ),
        [
          `${REPOSITORY_POLICY_SUBJECT}: policy is not JSON (${reason}), so it cannot be ` +
            "checked for a wildcard principal. Fix: give policy a JSON policy document.",
        ],
      );
    });

    it("passes the template with its defaults and ARN principals", async () => {
      const stack = cloudFormationStack({
        PushPrincipals: `arn:aws:iam::${ACCOUNT_ID}:role/ci`,
        PullPrincipals: "arn:aws:iam::210987654321:root",
      });
      assert.deepStrictEqual(await resourceViolations(forbidWildcardPrincipal, stack), []);
      assert.deepStrictEqual(
        await resourceViolations(forbidWildcardPrincipal, cloudFormationStack({})),
        [],
      );
    });

    it("fails the template with a wildcard push or pull principal", async () => {
      assert.deepStrictEqual(
        await resourceViolations(
          forbidWildcardPrincipal,
          cloudFormationStack({ PushPrincipals: "*" }),
        ),
        [
          `${TEMPLATE_REPOSITORY}: RepositoryPolicyText.Statement[1].Principal.AWS[0] is "*", ` +
            WILDCARD_FIX,
        ],
      );
      assert.deepStrictEqual(
        await resourceViolations(
          forbidWildcardPrincipal,
          cloudFormationStack({ PullPrincipals: `${ALICE},arn:aws:iam::*:root` }),
        ),
        [
          `${TEMPLATE_REPOSITORY}: RepositoryPolicyText.Statement[1].Principal.AWS[1] is ` +
            `"arn:aws:iam::*:root", ${WILDCARD_FIX}`,
        ],
      );
    });
  });

  describe("no-hard-coded-partition", () => {
    const CN_ROLE = `arn:aws-cn:iam::${ACCOUNT_ID}:role/ci`;

    it("passes the template, which builds ARNs with ${AWS::Partition}, YAML or JSON", async () => {
      const json = retainingRepositoryBody(readTemplate().document);
      for (const body of [readTemplate().body, json]) {
        assert.deepStrictEqual(
          await resourceViolations(forbidHardCodedPartition, cloudFormationStack({}, body)),
          [],
        );
      }
    });

    it("fails a template that writes a partition into an ARN, naming the line", async () => {
      const body = [
        "Resources:",
        "  ECRRepository:",
        "    Type: AWS::ECR::Repository",
        "    Properties:",
        "      RepositoryPolicyText:",
        "        Statement:",
        "          - Effect: Allow",
        `            Principal: { AWS: [${ALICE}, "${CN_ROLE}"] }`,
        "            Action: ecr:BatchGetImage",
      ].join("\n");
      assert.deepStrictEqual(
        await resourceViolations(forbidHardCodedPartition, cloudFormationStack({}, body)),
        [ALICE, CN_ROLE].map(
          (arn) =>
            `${STACK}: templateBody line 8 writes the partition into "${arn}", ` +
            TEMPLATE_PARTITION_FIX,
        ),
      );
    });

    it("passes native policies whose ARNs share one partition", async () => {
      const policy = repositoryPolicy(ALICE, {
        pushPrincipals: [`arn:aws:iam::${ACCOUNT_ID}:role/ci`],
        pullPrincipals: [],
      });
      assert.deepStrictEqual(
        await resourceViolations(
          forbidHardCodedPartition,
          policyResource(REPOSITORY_POLICY, JSON.stringify(policy)),
        ),
        [],
      );
      assert.deepStrictEqual(
        await resourceViolations(
          forbidHardCodedPartition,
          policyResource(USER_POLICY, JSON.stringify(dockerLoginPolicy())),
        ),
        [],
      );
    });

    it("fails a repository policy or user policy that mixes partitions", async () => {
      const repository = repositoryPolicy(ALICE, { pushPrincipals: [CN_ROLE], pullPrincipals: [] });
      const user = {
        Statement: [{ Effect: "Allow", Action: "ecr:BatchGetImage", Resource: [ALICE, CN_ROLE] }],
      };
      for (const [type, policy] of [
        [REPOSITORY_POLICY, repository],
        [USER_POLICY, user],
      ] as const) {
        assert.deepStrictEqual(
          await resourceViolations(
            forbidHardCodedPartition,
            policyResource(type, JSON.stringify(policy)),
          ),
          [
            `${type} "repository": policy holds ARNs of more than one partition, "aws" ` +
              `(${ALICE}) and "aws-cn" (${CN_ROLE}), ${MIXED_PARTITION_FIX}`,
          ],
        );
      }
    });
  });

  describe("on the program's resources, under mocks", () => {
    const BROKEN = {
      iamUserName: "alice",
      scanOnPush: "false",
      imageTagMutability: "MUTABLE",
      untaggedImageExpiryDays: "0",
      maxTaggedImageCount: "0",
    };

    async function violationsFor(config: Record<string, string>): Promise<string[]> {
      const run = await runProgram({
        stack: "dev",
        config,
        preview: false,
        getUser: iamUsers({ alice: "/" }),
      });
      return packViolations(
        run.resources.map(({ type, name, inputs }) => ({ type, name, props: inputs })),
      );
    }

    for (const variant of ["cloudformation", "native"]) {
      it(`finds nothing wrong with the defaults (${variant})`, async () => {
        assert.deepStrictEqual(await violationsFor({ iamUserName: "alice", variant }), []);
      });
    }

    it("reports each safeguard turned off (cloudformation)", async () => {
      assert.deepStrictEqual(await violationsFor({ ...BROKEN, variant: "cloudformation" }), [
        `ecr-lifecycle-policy: ${TEMPLATE_REPOSITORY}: LifecyclePolicy.LifecyclePolicyText ` +
          `is not set, ${LIFECYCLE_FIX}`,
        `ecr-scan-on-push: ${TEMPLATE_REPOSITORY}: ImageScanningConfiguration.ScanOnPush is ` +
          `false, ${scanFix("ImageScanningConfiguration.ScanOnPush")}`,
        `ecr-tag-immutability: ${TEMPLATE_REPOSITORY}: ImageTagMutability is "MUTABLE", ` +
          mutabilityFix("ImageTagMutability"),
      ]);
    });

    it("reports each safeguard turned off (native)", async () => {
      assert.deepStrictEqual(await violationsFor({ ...BROKEN, variant: "native" }), [
        `ecr-lifecycle-policy: ${NATIVE_REPOSITORY}: no ${LIFECYCLE_POLICY} has repository = ` +
          `"ecr-repository-dev" (the stack has none), ${LIFECYCLE_FIX}`,
        `ecr-scan-on-push: ${NATIVE_REPOSITORY}: imageScanningConfiguration.scanOnPush is ` +
          `false, ${scanFix("imageScanningConfiguration.scanOnPush")}`,
        `ecr-tag-immutability: ${NATIVE_REPOSITORY}: imageTagMutability is "MUTABLE", ` +
          mutabilityFix("imageTagMutability"),
      ]);
    });
  });
});
