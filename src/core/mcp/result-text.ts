import type {CallToolResult} from '@modelcontextprotocol/sdk/types.js'

/**
 * A tool result as text the model can read. Images and audio become a one-line placeholder (the
 * models faithh runs read text only, and a base64 blob would fill the window); embedded text
 * resources are kept with their uri; structured content stands in when there is no text. Length is
 * left to the tool output cap that every tool's result goes through (runTool).
 */
export function resultText(result: CallToolResult): string {
  const parts: string[] = []
  for (const item of result.content ?? []) {
    switch (item.type) {
      case 'text':
        parts.push(item.text)
        break
      case 'image':
      case 'audio':
        parts.push(`[${item.type}: ${item.mimeType}, ${size(item.data)} — not shown]`)
        break
      case 'resource': {
        const resource = item.resource
        parts.push(
          'text' in resource
            ? `[resource ${resource.uri}]\n${resource.text}`
            : `[resource ${resource.uri}: ${resource.mimeType ?? 'binary'}, ${size(resource.blob)} — not shown]`,
        )
        break
      }
      case 'resource_link':
        parts.push(`[resource link: ${item.name} ${item.uri}${item.description ? ` — ${item.description}` : ''}]`)
        break
      default:
        parts.push(`[${(item as {type: string}).type} content — not shown]`)
    }
  }

  if (parts.length === 0 && result.structuredContent) return JSON.stringify(result.structuredContent, null, 1)
  return parts.length > 0 ? parts.join('\n') : '(the tool returned nothing)'
}

/** Size of base64 data, decoded. */
function size(base64: string): string {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0
  const bytes = Math.floor((base64.length * 3) / 4) - padding
  return bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} bytes`
}
