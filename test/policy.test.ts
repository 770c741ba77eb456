import * as assert from "assert";

import { templateParameters } from "../ecr/cloudformation";
import { PULL_ACTIONS, PUSH_PULL_ACTIONS, repositoryPolicy } from "../ecr/policy";
import { readTemplate, REPOSITORY_LOGICAL_ID } from "../ecr/template";
import { resolvedResources } from "./support/resolve";

describe("repository policy", () => {
  it("grants the seven push/pull actions, pulls first", () => {
    assert.deepStrictEqual(
      [...PUSH_PULL_ACTIONS],
      [
        "ecr:GetDownloadUrlForLayer",
        "ecr:BatchGetImage",
        "ecr:BatchCheckLayerAvailability",
        "ecr:PutImage",
        "ecr:InitiateLayerUpload",
        "ecr:UploadLayerPart",
        "ecr:CompleteLayerUpload",
      ],
    );
    assert.deepStrictEqual(PUSH_PULL_ACTIONS.slice(0, PULL_ACTIONS.length), [...PULL_ACTIONS]);
  });

  it("names the user and no Resource, which ECR rejects in a repository policy", () => {
    const policy = repositoryPolicy("arn:aws:iam::123456789012:user/alice");
    assert.deepStrictEqual(policy, {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AllowPushPull",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::123456789012:user/alice" },
          Action: [...PUSH_PULL_ACTIONS],
        },
      ],
    });
  });

  describe("is the same in both variants", () => {
    const deployments = [
      { partition: "aws", accountId: "123456789012", region: "us-east-1", path: "/" },
      { partition: "aws-cn", accountId: "111122223333", region: "cn-north-1", path: "/team/ci/" },
      { partition: "aws-us-gov", accountId: "444455556666", region: "us-gov-west-1", path: "/" },
    ];
    for (const { partition, accountId, region, path } of deployments) {
      it(`in partition ${partition}, for a user with path ${path}`, () => {
        const iamUser = {
          userName: "alice",
          path,
          arn: `arn:${partition}:iam::${accountId}:user${path}alice`,
        };
        const resources = resolvedResources(
          readTemplate().document,
          { partition, accountId, region, stackName: "web-api" },
          templateParameters(iamUser),
        );

        // What CloudFormation applies, against what the native variant applies.
        assert.deepStrictEqual(
          resources[REPOSITORY_LOGICAL_ID].Properties.RepositoryPolicyText,
          repositoryPolicy(iamUser.arn),
        );
      });
    }
  });
});
