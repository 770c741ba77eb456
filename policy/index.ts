import { PolicyPack } from "@pulumi/policy";

import { policies } from "./policies";

new PolicyPack("ecr-repository-baseline", { policies });
