import * as aws from "@pulumi/aws";

/**
 * What a client needs to pull an image: the layer and manifest reads `docker pull` makes.
 */
export const PULL_ACTIONS = [
  "ecr:GetDownloadUrlForLayer",
  "ecr:BatchGetImage",
  "ecr:BatchCheckLayerAvailability",
] as const;

/** Pulling, plus the layer uploads and manifest write that `docker push` makes. */
export const PUSH_PULL_ACTIONS = [
  ...PULL_ACTIONS,
  "ecr:PutImage",
  "ecr:InitiateLayerUpload",
  "ecr:UploadLayerPart",
  "ecr:CompleteLayerUpload",
] as const;

/**
 * The repository policy both variants apply: one IAM user may push and pull. It has no
 * `Resource` element, which ECR rejects in a repository policy: the repository is implied.
 */
export function repositoryPolicy(iamUserArn: string): aws.iam.PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AllowPushPull",
        Effect: "Allow",
        Principal: { AWS: iamUserArn },
        Action: [...PUSH_PULL_ACTIONS],
      },
    ],
  };
}
