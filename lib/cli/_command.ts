/**
 * What every stria subcommand shares: the usage text, the usage error (a bad
 * command line: exit 2) and the runner that turns a subcommand's errors into
 * one line on stderr (followed by the command's usage line and a hint for a
 * usage error) and an exit code, never a stack trace.
 *
 * @module
 */

/** The usage text `stria help` prints. */
export const USAGE = `Usage: stria COMMAND [options]

Commands:
  info FILE [--json]
      Axes, shape, data type, voxel size with its unit and channels of a TIFF,
      OME-TIFF or OME-Zarr image (or of a store stria analyze wrote).
  analyze INPUT OUTPUT [options]
      Structure-tensor analysis of a 3-D TIFF, OME-TIFF or OME-Zarr image
      (one time point: a time series is refused), block by block (slabs of
      planes, or their tiles; bounded memory), into a new OME-Zarr store
      (NGFF 0.5) OUTPUT holding one image per output at the input's voxel
      size.
  finalize OUTPUT
      Checks that every block of OUTPUT is done and marks the store complete;
      readers refuse a store that is not.
  slurm INPUT OUTPUT --tasks N [analyze options] [--threads T] [--partition P]
        [--time T] [--sbatch-arg X]... [--no-wait] [--print-script]
      Runs analyze's N blocks as a Slurm job array (script and logs in
      OUTPUT.slurm/), then finalize once every task succeeded, and waits,
      printing progress; exit 0 only if the store ends complete. Rerunning
      skips blocks done. --threads T (default 1) per task, also its
      --cpus-per-task; --partition, --time, --sbatch-arg go to sbatch;
      --no-wait exits after submitting; --print-script prints the job script
      (without reading INPUT). The options and INPUT are checked as analyze
      checks them before anything is submitted. Needs --allow-run (sbatch,
      squeue, scancel).
  help
      Prints this text (as does --help).

Options of analyze:
  --sigma S | --sigma Z,Y,X
      The Gaussian window (default 1). In the file's physical units (e.g. µm)
      when it has a voxel size, else in voxels.
  --channel N        The channel of a multi-channel image (default 0).
  --outputs LIST     Comma-separated, among eigenvalues, vectors, fa, westin,
                     class, angles (default eigenvalues,vectors,fa).
  --precision P      float64 (default) or float32.
  --energy E         Voxels whose eigenvalue sum is at most E are background
                     (NaN in vectors, fa, westin, angles; "background" class).
  --threads N        Threads per block (default 1: run tasks for parallelism).
  --block-planes N   Planes per block of computation and per output chunk
                     along Z (default 16; with --tasks N at most planes / N).
  --tile Y,X         Also cut every plane into tiles of Y rows and X columns
                     (each at most 256, a multiple of 256 or the plane's
                     size), for bounded memory whatever the plane size; a
                     block is then one tile of one slab.
  --tasks N          Split the volume into N blocks: Z slabs of whole chunks,
                     times the tiles of a plane with --tile (N a multiple of
                     them).
  --task I           Compute block I only (0 … N - 1), then mark it done; a
                     block already done is skipped. Without --task every
                     block is computed and the store finalized.

Exit status: 0 on success, 1 when a command fails, 2 for a bad command line
or an unreadable input.`;

/** A bad command line or input: reported with the usage, exit 2. */
export class UsageError extends Error {}

/**
 * The usage line of `command`, from its entry in {@linkcode USAGE} (with the
 * entry's continued synopsis lines); USAGE's first line for an unknown or
 * no command.
 */
export function usageLine(command: string | undefined): string {
  const lines = USAGE.split("\n");
  const at = lines.findIndex((line) =>
    command !== undefined &&
    (line === `  ${command}` || line.startsWith(`  ${command} `))
  );
  if (at < 0) return lines[0];
  const synopsis = [lines[at].trim()];
  for (let i = at + 1; lines[i]?.startsWith("        ["); i++) {
    synopsis.push(lines[i].trim());
  }
  return `Usage: stria ${synopsis.join(" ")}`;
}

/**
 * Runs subcommand `command`'s `body`, returning its exit code: 2 after a
 * {@linkcode UsageError} (its message, the command's usage line and a hint
 * on stderr), 1 after any other error (its message on stderr).
 */
export async function runCommand(
  command: string | undefined,
  body: () => Promise<number>,
): Promise<number> {
  try {
    return await body();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof UsageError) {
      console.error(
        `stria: ${message}\n${usageLine(command)}\nRun "stria help" for usage.`,
      );
      return 2;
    }
    console.error(`stria: ${message}`);
    return 1;
  }
}
