import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/**
 * The native half of the runtime check, built by `npm run build:native` into native-check/build/.
 * Located relative to the package root so the check works from a clone and from an install.
 */
export interface NativeArtifacts {
  emulatorLibrary: string;
  trafficGenerator: string;
}

export class NativeArtifactsMissing extends Error {}

function packageRoot(): string {
  // This file is src/runtime/ in the sources and dist/src/runtime/ once compiled.
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

export function nativeBuildDir(): string {
  return path.join(packageRoot(), 'native-check', 'build');
}

export function locateNativeArtifacts(): NativeArtifacts {
  const build = nativeBuildDir();
  const artifacts = {
    emulatorLibrary: path.join(build, 'libringemu.so'),
    trafficGenerator: path.join(build, 'ringlint-traffic'),
  };
  const missing = Object.values(artifacts).filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new NativeArtifactsMissing(
      `the runtime check's native library is not built (missing ${missing.map((f) => path.relative(packageRoot(), f)).join(', ')}); ` +
        `install a C compiler (e.g. apt-get install gcc) and run 'npm run build:native'`,
    );
  }
  return artifacts;
}
