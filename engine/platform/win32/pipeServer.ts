/**
 * Who serves a named pipe, asked by a client before it sends anything.
 * Node does not expose a client pipe's handle, so this opens one instance of
 * the pipe with a handle of its own (the engine sees a connection that
 * closes without a hello) and asks the kernel for the server's process id
 * (GetNamedPipeServerProcessId), then that process's user. Every instance of
 * a pipe name belongs to the server that created the first one: the engine
 * creates it with FILE_FLAG_FIRST_PIPE_INSTANCE (libuv does for the first
 * instance of every pipe server), so a squatter's pipe means the engine
 * could not listen, and the pipe's access list admits later instances from
 * this user only (./pipeSecurity.ts).
 */
import { CloseHandle, GetLastError, GetNamedPipeServerProcessId, OpenProcess, PROCESS_QUERY_LIMITED_INFORMATION } from './bindings/kernel32';
import { READ_CONTROL } from './bindings/advapi32';
import { Win32Error, currentUserSid, openPipe, processUserSid } from './pipeSecurity';

export interface PipeServer {
  pid: number;
  /** The server process's user SID, or null when its token cannot be read (another user's or an elevated process). */
  userSid: string | null;
  /** This process's user SID, to compare with. */
  ownSid: string;
}

export async function pipeServer(pipeName: string): Promise<PipeServer> {
  const pipe = await openPipe(pipeName, READ_CONTROL);
  let pid: number;
  try {
    const out = Buffer.alloc(4);
    if (!GetNamedPipeServerProcessId(pipe, out)) throw new Win32Error('GetNamedPipeServerProcessId', GetLastError());
    pid = out.readUInt32LE(0);
  } finally {
    CloseHandle(pipe);
  }
  return { pid, userSid: userOf(pid), ownSid: currentUserSid() };
}

function userOf(pid: number): string | null {
  const process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid);
  if (process === 0) return null;
  try {
    return processUserSid(process);
  } catch {
    return null;
  } finally {
    CloseHandle(process);
  }
}
