import * as fs from "fs";
import * as path from "path";
import { yamlParse } from "yaml-cfn";

import { PROJECT } from "./program";

const ROOT = path.join(__dirname, "..", "..");

/** The Pulumi stacks that have a committed `Pulumi.<stack>.yaml`. */
export function committedStacks(): string[] {
  return fs
    .readdirSync(ROOT)
    .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort();
}

/**
 * A committed stack's config as the CLI hands it to the program: project keys without their
 * namespace, other keys (aws:region) with it, every value a string.
 */
export function stackConfig(stack: string): Record<string, string> {
  const file = path.join(ROOT, `Pulumi.${stack}.yaml`);
  const config: Record<string, unknown> = yamlParse(fs.readFileSync(file, "utf8")).config ?? {};
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [
      key.startsWith(`${PROJECT}:`) ? key.slice(PROJECT.length + 1) : key,
      typeof value === "string" ? value : JSON.stringify(value),
    ]),
  );
}

/** The project file, `Pulumi.yaml`. */
export function projectFile(): {
  name: string;
  config: Record<string, { type: string; description: string; default?: unknown; items?: unknown }>;
} {
  return yamlParse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
}
