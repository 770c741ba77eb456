import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** The IAM user that the repository policy names, as IAM reports it. */
export interface IamUser {
  userName: string;
  /** "/" for most users; "/team/" for a user created with a path. */
  path: string;
  arn: string;
}

/**
 * Reads the user from IAM. Runs at `pulumi preview` too, so a user that does not exist stops
 * the preview here, rather than a CloudFormation stack half way through its creation.
 */
export async function lookUpIamUser(userName: string): Promise<IamUser> {
  try {
    const user = await aws.iam.getUser({ userName });
    return { userName: user.userName, path: user.path, arn: user.arn };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new pulumi.RunError(
      [
        `iamUserName = ${JSON.stringify(userName)}: the IAM user could not be read, so nothing ` +
          "was created or changed.",
        `  ${reason}`,
        "  The user must exist in the account you deploy to. Create it " +
          `(aws iam create-user --user-name ${userName}), or name an existing one: ` +
          "pulumi config set iamUserName <existing IAM user name>",
      ].join("\n"),
    );
  }
}
