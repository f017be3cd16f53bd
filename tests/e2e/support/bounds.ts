/**
 * How long call tests wait for a condition, sized for a slow, shared 2-core machine rather than
 * for a fast one: measured here with other work running (load average ~20, `HOGS=1 ./parley bench
 * call-join`), a fourth person saw all three videos 4–22 s after Join (0.6–5 s on an idle machine),
 * and the camera preview took up to 0.6 s. Bounds only cap waiting; a test ends as soon as the
 * condition holds, and speed is measured by the benchmarks, not asserted here.
 */
/** A call control, the pre-join screen or the camera preview appears. */
export const CALL_UI_MS = 20_000;
/** Someone's video arrives (mesh or SFU), the call moves between mesh and SFU. */
export const REMOTE_VIDEO_MS = 60_000;
/** Longest a remote video may freeze while the call moves to the SFU, beyond the page's own stall at that time. */
export const SWITCH_FREEZE_MS = 5000;
