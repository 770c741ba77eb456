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

/** Who the repository policy lets in, besides the IAM user of the stack. */
export interface RepositoryPrincipals {
  /** ARNs that may push and pull. */
  pushPrincipals: string[];
  /** ARNs that may only pull. */
  pullPrincipals: string[];
}

/**
 * The repository policy both variants apply. It has no `Resource` element, which ECR rejects
 * in a repository policy: the repository is implied. It never names a wildcard principal:
 * config validation refuses one.
 */
export function repositoryPolicy(
  iamUserArn: string,
  principals: RepositoryPrincipals = { pushPrincipals: [], pullPrincipals: [] },
): aws.iam.PolicyDocument {
  const statements: aws.iam.PolicyStatement[] = [
    {
      Sid: "AllowPushPull",
      Effect: "Allow",
      Principal: { AWS: iamUserArn },
      Action: [...PUSH_PULL_ACTIONS],
    },
  ];

  if (principals.pushPrincipals.length > 0) {
    statements.push({
      Sid: "AllowPushPullPrincipals",
      Effect: "Allow",
      Principal: { AWS: principals.pushPrincipals },
      Action: [...PUSH_PULL_ACTIONS],
    });
  }

  if (principals.pullPrincipals.length > 0) {
    statements.push({
      Sid: "AllowPull",
      Effect: "Allow",
      Principal: { AWS: principals.pullPrincipals },
      Action: [...PULL_ACTIONS],
    });
  }

  return { Version: "2012-10-17", Statement: statements };
}

/**
 * The identity policy that lets the IAM user run `docker login`, which a repository policy
 * cannot grant. GetAuthorizationToken acts on the registry, so "*" is the only resource it
 * takes; the token still opens only the repositories that let the user in.
 */
export function dockerLoginPolicy(): aws.iam.PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AllowDockerLogin",
        Effect: "Allow",
        Action: "ecr:GetAuthorizationToken",
        Resource: "*",
      },
    ],
  };
}
