import * as assert from "assert";

import {
  dockerLoginPolicy,
  PULL_ACTIONS,
  PUSH_PULL_ACTIONS,
  repositoryPolicy,
} from "../ecr/policy";

const ALICE = "arn:aws:iam::123456789012:user/alice";

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
    assert.deepStrictEqual(repositoryPolicy(ALICE), {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AllowPushPull",
          Effect: "Allow",
          Principal: { AWS: ALICE },
          Action: [...PUSH_PULL_ACTIONS],
        },
      ],
    });
  });

  it("lets push principals push and pull, and pull principals only pull", () => {
    const ci = "arn:aws:iam::123456789012:role/ci";
    const prod = "arn:aws:iam::210987654321:root";
    const policy = repositoryPolicy(ALICE, { pushPrincipals: [ci], pullPrincipals: [prod] });
    assert.deepStrictEqual((policy.Statement as unknown[]).slice(1), [
      {
        Sid: "AllowPushPullPrincipals",
        Effect: "Allow",
        Principal: { AWS: [ci] },
        Action: [...PUSH_PULL_ACTIONS],
      },
      {
        Sid: "AllowPull",
        Effect: "Allow",
        Principal: { AWS: [prod] },
        Action: [...PULL_ACTIONS],
      },
    ]);
  });

  it("lets the user log in to the registry, and do nothing else", () => {
    assert.deepStrictEqual(dockerLoginPolicy(), {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AllowDockerLogin",
          Effect: "Allow",
          Action: "ecr:GetAuthorizationToken",
          Resource: "*",
        },
      ],
    });
  });
});
