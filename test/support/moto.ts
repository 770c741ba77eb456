import { ChildProcess, spawn } from "child_process";
import * as net from "net";

import { CommandResult, run } from "./cli";
import { GetRepository, GetTemplateBody, GetUser, REGION } from "./program";

/** A moto server on a free loopback port, and the AWS CLI pointed at it. */
export class Moto {
  private constructor(
    private readonly server: ChildProcess,
    readonly endpoint: string,
  ) {}

  /** Starts moto and waits until it answers. */
  static async start(): Promise<Moto> {
    const port = await freePort();
    const server = spawn("python3", ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    server.stderr!.on("data", (chunk) => (stderr += chunk));

    const moto = new Moto(server, `http://127.0.0.1:${port}`);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (server.exitCode !== null) {
        throw new Error(`moto exited with ${server.exitCode}: ${stderr}`);
      }
      if (await answers(moto.endpoint)) {
        return moto;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    server.kill();
    throw new Error(`moto did not answer on ${moto.endpoint} within 30 s: ${stderr}`);
  }

  async stop(): Promise<void> {
    if (this.server.exitCode === null) {
      const exited = new Promise((resolve) => this.server.once("exit", resolve));
      this.server.kill();
      await exited;
    }
  }

  /** The environment that points the AWS CLI, unchanged, at this server. */
  get env(): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_ACCESS_KEY_ID: "testing",
      AWS_SECRET_ACCESS_KEY: "testing",
      AWS_DEFAULT_REGION: REGION,
      AWS_ENDPOINT_URL: this.endpoint,
      AWS_CONFIG_FILE: "/dev/null",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
      AWS_PAGER: "",
    };
  }

  /** Runs `aws ARGS` against moto; resolves with its output whatever its exit code. */
  aws(args: string[]): Promise<CommandResult> {
    return run("aws", args, this.env);
  }

  /** Runs `aws ARGS --output json`, fails on a non-zero exit, and parses the answer. */
  async awsJson(args: string[]): Promise<any> {
    const result = await this.aws([...args, "--output", "json"]);
    if (result.code !== 0) {
      throw new Error(`aws ${args.join(" ")} exited with ${result.code}: ${result.stderr}`);
    }
    return result.stdout.trim() === "" ? {} : JSON.parse(result.stdout);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/moto-api/`);
    return response.ok;
  } catch {
    return false;
  }
}

/** Looks IAM users up in moto, answering as the provider's getUser does. */
export function motoIamUsers(moto: Moto): GetUser {
  return async (userName) => {
    const result = await moto.aws(["iam", "get-user", "--user-name", userName, "--output", "json"]);
    if (result.code !== 0) {
      return undefined;
    }
    const user = JSON.parse(result.stdout).User;
    return { userName: user.UserName, path: user.Path, arn: user.Arn, userId: user.UserId };
  };
}

/** Reads repositories from moto, answering as the provider's ecr getRepository does. */
export function motoRepositories(moto: Moto): GetRepository {
  return async (name) => {
    const result = await moto.aws([
      "ecr",
      "describe-repositories",
      "--repository-names",
      name,
      "--output",
      "json",
    ]);
    if (result.code !== 0) {
      return undefined;
    }
    const repository = JSON.parse(result.stdout).repositories[0];
    // moto files the encryption of a repository made by CloudFormation under a key it does
    // not read back; ECR reports AES256 for a repository created without one.
    const encryption = repository.encryptionConfiguration ?? {};
    return {
      name: repository.repositoryName,
      encryptionConfigurations: [
        { encryptionType: encryption.encryptionType ?? "AES256", kmsKey: encryption.kmsKey ?? "" },
      ],
    };
  };
}

/** Reads CloudFormation stacks' templates from moto, as the provider's getStack does. */
export function motoTemplateBodies(moto: Moto): GetTemplateBody {
  return async (stackName) => {
    const result = await moto.aws([
      "cloudformation",
      "get-template",
      "--stack-name",
      stackName,
      "--output",
      "json",
    ]);
    if (result.code !== 0) {
      return undefined;
    }
    const { TemplateBody } = JSON.parse(result.stdout);
    return typeof TemplateBody === "string" ? TemplateBody : JSON.stringify(TemplateBody);
  };
}

/**
 * The CreateStack or UpdateStack call the AWS provider makes for a registered
 * aws.cloudformation.Stack.
 */
export function stackCall(
  operation: "create-stack" | "update-stack",
  inputs: Record<string, any>,
): string[] {
  const parameters = Object.entries(inputs.parameters ?? {}).map(([key, value]) => ({
    ParameterKey: key,
    ParameterValue: value,
  }));
  return [
    "cloudformation",
    operation,
    "--stack-name",
    inputs.name,
    "--template-body",
    inputs.templateBody,
    "--parameters",
    JSON.stringify(parameters),
    ...(inputs.capabilities?.length ? ["--capabilities", ...inputs.capabilities] : []),
    // onFailure applies to creation only.
    ...(operation === "create-stack" ? ["--on-failure", inputs.onFailure] : []),
  ];
}

/** A CloudFormation stack's outputs, by key. */
export async function stackOutputs(moto: Moto, stackName: string): Promise<Record<string, string>> {
  const { Stacks } = await moto.awsJson([
    "cloudformation",
    "describe-stacks",
    "--stack-name",
    stackName,
  ]);
  return Object.fromEntries(
    (Stacks[0].Outputs ?? []).map((output: any) => [output.OutputKey, output.OutputValue]),
  );
}
