import {stat} from 'node:fs/promises'

export type FileKind = {kind: 'missing'} | {kind: 'directory'} | {kind: 'other'} | {kind: 'file'; size: number}

/** What is on disk at `abs`; each tool words its own message for each answer. Other errors (EACCES…) throw. */
export async function fileKind(abs: string): Promise<FileKind> {
  try {
    const info = await stat(abs)
    if (info.isDirectory()) return {kind: 'directory'}
    return info.isFile() ? {kind: 'file', size: info.size} : {kind: 'other'}
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return {kind: 'missing'}
    throw error
  }
}
