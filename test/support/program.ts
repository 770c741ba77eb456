import * as pulumi from "@pulumi/pulumi";

/** The account and region every mock and emulator test deploys to (moto's account). */
export const ACCOUNT_ID = "123456789012";
export const REGION = "us-east-1";
export const PROJECT = "ecr-repository";

/** A resource as the program registered it, with the options that protect data. */
export interface RegisteredResource {
  type: string;
  name: string;
  inputs: Record<string, any>;
  /** The ID given in the `import` option, if any. */
  importId?: string;
  protect?: boolean;
  retainOnDelete?: boolean;
}

/** What GetUser returns for a user; `undefined` when the user does not exist. */
export type GetUser = (userName: string) => Promise<Record<string, string> | undefined>;

/** IAM users that exist, by name, with path "/" unless given. */
export function iamUsers(paths: Record<string, string>): GetUser {
  return async (userName) => {
    const path = paths[userName];
    if (path === undefined) {
      return undefined;
    }
    return {
      userName,
      path,
      arn: `arn:aws:iam::${ACCOUNT_ID}:user${path}${userName}`,
      userId: `AIDA${userName.toUpperCase()}`,
    };
  };
}

/** What getRepository returns for an existing repository; `undefined` when there is none. */
export type GetRepository = (name: string) => Promise<Record<string, unknown> | undefined>;

/** The template body of a CloudFormation stack; `undefined` when no such stack exists. */
export type GetTemplateBody = (stackName: string) => Promise<string | undefined>;

export interface ProgramRun {
  resources: RegisteredResource[];
  /** What the program logged as warnings, which `pulumi preview` shows. */
  warnings: string[];
  /** The stack exports, resolved. */
  exports: Record<string, unknown>;
}

export interface RunOptions {
  stack: string;
  /** Project config keys without the namespace, as in `pulumi config set KEY VALUE`. */
  config: Record<string, string>;
  /** Run as `pulumi preview` (true) or `pulumi up` (false). */
  preview: boolean;
  getUser: GetUser;
  /** @default no CloudFormation stack exists */
  getTemplateBody?: GetTemplateBody;
  /** @default no repository exists yet */
  getRepository?: GetRepository;
}

/**
 * Runs `index.ts` as the Pulumi engine would, in its root stack resource, with the AWS
 * provider mocked: resources echo their inputs plus the attributes AWS computes. Records
 * each registration as the engine receives it, options included.
 */
export async function runProgram(options: RunOptions): Promise<ProgramRun> {
  const resources: RegisteredResource[] = [];
  const mocks: pulumi.runtime.Mocks = {
    newResource: (args) => {
      const state = { ...args.inputs, ...computedAttributes(args.type, args.inputs) };
      return { id: args.id || state.id || `${args.name}-id`, state };
    },
    call: async (args) => {
      switch (args.token) {
        case "aws:iam/getUser:getUser": {
          const user = await options.getUser(args.inputs.userName);
          if (user === undefined) {
            throw invokeError(`reading IAM User (${args.inputs.userName}): couldn't find resource`);
          }
          return user;
        }
        case "aws:cloudformation/getStack:getStack": {
          const templateBody = await options.getTemplateBody?.(args.inputs.name);
          if (templateBody === undefined) {
            throw invokeError(
              `reading CloudFormation Stack (${args.inputs.name}): operation error ` +
                `CloudFormation: DescribeStacks, api error ValidationError: Stack with id ` +
                `${args.inputs.name} does not exist`,
            );
          }
          return { name: args.inputs.name, templateBody };
        }
        case "aws:ecr/getRepository:getRepository": {
          const repository = await options.getRepository?.(args.inputs.name);
          if (repository === undefined) {
            throw invokeError(
              `reading ECR Repository (${args.inputs.name}): couldn't find resource`,
            );
          }
          return repository;
        }
        case "aws:kms/getKey:getKey": {
          // Keys named "managed" stand for AWS managed keys; any other is an account's own.
          const managed = String(args.inputs.keyId).endsWith("/managed");
          return { arn: args.inputs.keyId, keyManager: managed ? "AWS" : "CUSTOMER" };
        }
        default:
          throw new Error(`unexpected call ${args.token}`);
      }
    },
  };
  await pulumi.runtime.setMocks(mocks, PROJECT, options.stack, options.preview);
  recordRegistrations(resources);

  const config: Record<string, string> = { "aws:region": REGION };
  for (const [key, value] of Object.entries(options.config)) {
    config[key.includes(":") ? key : `${PROJECT}:${key}`] = value;
  }
  pulumi.runtime.setAllConfig(config);

  const program: () => Promise<Record<string, unknown>> = require("../../index");
  const registered = () => resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
  const warnings: string[] = [];
  const warn = pulumi.log.warn;
  pulumi.log.warn = async (message: string) => {
    warnings.push(message);
  };
  let outputs: Record<string, unknown> | undefined;
  try {
    outputs = await pulumi.runtime.runInPulumiStack(program);
  } catch (error) {
    throw new ProgramFailure(error as Error, registered());
  } finally {
    pulumi.log.warn = warn;
  }

  const stackExports: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(outputs ?? {})) {
    stackExports[key] = await valueOf(pulumi.output(value));
  }
  return { resources: registered(), warnings, exports: stackExports };
}

/** The program failed: its error, and the resources it had registered by then. */
export class ProgramFailure extends Error {
  constructor(
    readonly cause: Error,
    readonly resources: RegisteredResource[],
  ) {
    super(cause.message);
  }
}

/** A failed invoke as the engine reports it: a gRPC error whose details are the message. */
function invokeError(reason: string): Error {
  const message = `invocation of the AWS provider returned an error: ${reason}`;
  return Object.assign(new Error(message), { details: message });
}

/** Wraps the mock monitor so each RegisterResource request is recorded whole. */
function recordRegistrations(resources: RegisteredResource[]): void {
  const monitor = pulumi.runtime.getMonitor() as any;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request: any, callback: unknown) => {
    resources.push({
      type: request.getType(),
      name: request.getName(),
      inputs: pulumi.runtime.deserializeProperties(request.getObject()),
      importId: request.getImportid() || undefined,
      protect: request.getProtect(),
      retainOnDelete: request.getRetainondelete(),
    });
    return register(request, callback);
  };
}

/** What AWS fills in when it creates each resource type the program uses. */
function computedAttributes(type: string, inputs: Record<string, any>): Record<string, unknown> {
  const registry = `${ACCOUNT_ID}.dkr.ecr.${REGION}.amazonaws.com`;
  switch (type) {
    case "aws:ecr/repository:Repository":
      return {
        id: inputs.name,
        arn: `arn:aws:ecr:${REGION}:${ACCOUNT_ID}:repository/${inputs.name}`,
        registryId: ACCOUNT_ID,
        repositoryUrl: `${registry}/${inputs.name}`,
      };
    case "aws:cloudformation/stack:Stack":
      // The outputs ecr/ecr.yml declares, as CloudFormation reports them.
      return {
        id: `arn:aws:cloudformation:${REGION}:${ACCOUNT_ID}:stack/${inputs.name}/1`,
        outputs: {
          ECRRepository: inputs.name,
          RepositoryUri: `${registry}/${inputs.name}`,
          RepositoryArn: `arn:aws:ecr:${REGION}:${ACCOUNT_ID}:repository/${inputs.name}`,
        },
      };
    default:
      return {};
  }
}

/** The value of an output, once known. */
function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/**
 * The type and name of each registered resource, sorted: what Pulumi identifies a resource by,
 * so two runs with the same identities update resources rather than replace them. (Resources
 * register as their inputs resolve, not in the order the program makes them.)
 */
export function identities(run: ProgramRun): string[] {
  return run.resources.map((resource) => `${resource.type}::${resource.name}`).sort();
}

/** The registered resources of `type`. */
export function ofType(run: ProgramRun, type: string): RegisteredResource[] {
  return run.resources.filter((resource) => resource.type === type);
}
