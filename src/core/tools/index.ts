import {editFileTool} from './edit-file.js'
import {listDirectoryTool} from './list-directory.js'
import {readFileTool} from './read-file.js'
import {runCommandTool} from './run-command.js'
import {searchCodeTool} from './search-code.js'
import type {Tool} from './tool.js'
import {writeFileTool} from './write-file.js'

export * from './tool.js'
export {walkProject, listProjectFiles, isBinary, type ProjectEntry, type WalkOptions} from './project-files.js'
export {atomicWrite} from './atomic-write.js'
export {editFileTool, listDirectoryTool, readFileTool, runCommandTool, searchCodeTool, writeFileTool}

/** Look first, then change, then run: small models tend to pick earlier tools. */
export const builtinTools: Tool[] = [readFileTool, listDirectoryTool, searchCodeTool, editFileTool, writeFileTool, runCommandTool]

/** What `ask` mode offers: tools that never change files or run anything. */
export const readOnlyTools: Tool[] = builtinTools.filter((tool) => tool.readOnly)
