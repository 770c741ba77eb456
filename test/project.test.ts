import * as assert from "assert";

import { CONFIG_DEFAULTS } from "../ecr/config";
import { committedStacks, projectFile, stackConfig } from "./support/stacks";

describe("Pulumi project", () => {
  const project = projectFile();

  it("is named ecr-repository", () => {
    assert.strictEqual(project.name, "ecr-repository");
  });

  it("declares every config key the program reads, with a type and a description", () => {
    assert.deepStrictEqual(
      Object.keys(project.config).sort(),
      ["iamUserName", ...Object.keys(CONFIG_DEFAULTS)].sort(),
    );
    for (const [key, declaration] of Object.entries(project.config)) {
      assert.ok(["string", "boolean", "integer", "array"].includes(declaration.type), key);
      assert.ok(declaration.description.length > 20, key);
    }
  });

  it("declares the program's defaults, and none for the required IAM user", () => {
    assert.strictEqual(project.config.iamUserName.default, undefined);
    for (const [key, value] of Object.entries(CONFIG_DEFAULTS)) {
      assert.deepStrictEqual(project.config[key].default, value, key);
      const type = Array.isArray(value)
        ? "array"
        : typeof value === "number"
          ? "integer"
          : typeof value;
      assert.strictEqual(project.config[key].type, type, key);
      if (type === "array") {
        assert.deepStrictEqual(project.config[key].items, { type: "string" }, key);
      }
    }
  });

  it("has stack files that set only declared keys and an AWS region", () => {
    assert.ok(committedStacks().includes("dev"));
    for (const stack of committedStacks()) {
      const config = stackConfig(stack);
      assert.match(config["aws:region"], /^[a-z]{2}(-gov)?-[a-z]+-\d$/, stack);
      for (const key of Object.keys(config).filter((key) => key !== "aws:region")) {
        assert.ok(key in project.config, `${stack}: ${key} is not declared in Pulumi.yaml`);
      }
    }
  });
});
