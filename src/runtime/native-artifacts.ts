import { existsSync } from 'node:fs';
import path from 'node:path';
import { packagePath } from '../package-root.js';

/**
 * The native half of the runtime check, built by `npm run build:native` into native-check/build/.
 * Located relative to the package root so the check works from a clone and from an install.
 */
export type NativeArtifacts = ReturnType<typeof locateNativeArtifacts>;

export function nativeBuildDir(): string {
  return packagePath('native-check', 'build');
}

export function locateNativeArtifacts() {
  const build = nativeBuildDir();
  const artifacts = {
    emulatorLibrary: path.join(build, 'libringemu.so'),
    trafficGenerator: path.join(build, 'ringlint-traffic'),
    /** runs the consumer in its namespaces (native-check/sandbox.c) */
    sandboxLauncher: path.join(build, 'ringlint-sandbox'),
    /** searches {out} for poison frames (native-check/output-scan.c) */
    outputScanner: path.join(build, 'ringlint-output-scan'),
  };
  const missing = Object.values(artifacts).filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new Error(
      `the runtime check's native library is not built (missing ${missing.map((f) => path.relative(packagePath(), f)).join(', ')}); ` +
        `install a C compiler (e.g. apt-get install gcc) and run 'npm run build:native' in ${packagePath()}`,
    );
  }
  return artifacts;
}
