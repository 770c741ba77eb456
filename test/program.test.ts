import * as assert from "assert";

import { readTemplate } from "../ecr/template";
import { iamUsers, ofType, runProgram } from "./support/program";

describe("program (index.ts) under Pulumi mocks", () => {
  it("smoke", async () => {
    const run = await runProgram({
      stack: "dev",
      config: { iamUserName: "alice" },
      preview: false,
      getUser: iamUsers({ alice: "/" }),
    });
    console.log(JSON.stringify(run, null, 1).slice(0, 3000));
    assert.strictEqual(ofType(run, "aws:cloudformation/stack:Stack")[0].inputs.templateBody, readTemplate().body);
  });
});
