import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../errors.ts';

/**
 * Binds a server, turning "port taken / not allowed / address not here" into a config error that
 * names the key to change; returns the URL it answers on and a close that also ends keep-alives.
 */
export async function listen(server: http.Server, host: string, port: number, configKey: string): Promise<{ url: string; close(): Promise<void> }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE' || err.code === 'EACCES' || err.code === 'EADDRNOTAVAIL'
          ? new ConfigError(`${configKey.split('.')[0]}: cannot listen on ${host}:${port} (${err.code}); set ${configKey} or stop the other process`, configKey, undefined, 'config-listen')
          : err,
      ),
    );
    server.listen(port, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const shown = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${shown}:${addr.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
