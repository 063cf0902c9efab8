/** mkfs.vfat and mtools take the times they write from SOURCE_DATE_EPOCH; FAT times are local, so UTC. */
export function fatTimeEnv(epoch: number | undefined): Record<string, string> {
  return epoch === undefined ? {} : { SOURCE_DATE_EPOCH: String(epoch), TZ: 'UTC' };
}
