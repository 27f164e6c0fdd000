/** The machine a benchmark ran on, recorded beside its figures. */
import os from 'node:os';

export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown CPU',
    cores: cpus.length,
    memGiB: (os.totalmem() / 2 ** 30).toFixed(1),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAvgStart: os.loadavg().map((x) => +x.toFixed(2)),
  };
}
