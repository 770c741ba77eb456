import { createHash } from "crypto";

import { Moto } from "./moto";

/** A minimal image manifest; ECR stores it as the image, which is all a test needs. */
function manifest(content: string): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.docker.distribution.manifest.v2+json",
    config: {
      mediaType: "application/vnd.docker.container.image.v1+json",
      size: 2,
      digest: `sha256:${"0".repeat(64)}`,
    },
    layers: [
      {
        mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip",
        size: content.length,
        digest: `sha256:${createHash("sha256").update(content).digest("hex")}`,
      },
    ],
  });
}

/**
 * Pushes an image under `tag`, as `docker push` ends: with PutImage. Images of different
 * `content` have different digests.
 */
export function putImage(moto: Moto, repositoryName: string, tag: string, content = "image") {
  return moto.aws([
    "ecr",
    "put-image",
    "--repository-name",
    repositoryName,
    "--image-tag",
    tag,
    "--image-manifest",
    manifest(content),
  ]);
}

/** The tags of the images a repository holds; undefined when the repository is gone. */
export async function imageTags(moto: Moto, repositoryName: string): Promise<string[] | undefined> {
  const result = await moto.aws([
    "ecr",
    "list-images",
    "--repository-name",
    repositoryName,
    "--output",
    "json",
  ]);
  if (result.code !== 0) {
    if (result.stderr.includes("RepositoryNotFoundException")) {
      return undefined;
    }
    throw new Error(`list-images ${repositoryName}: ${result.stderr}`);
  }
  return JSON.parse(result.stdout).imageIds.map((image: { imageTag: string }) => image.imageTag);
}
