import {z} from 'zod'

/**
 * Small models often send numbers and booleans as strings ("12", "false"). These accept both while
 * the JSON schema the model sees stays a plain integer / boolean.
 */
export const lenientInt = () => z.coerce.number().int()

export const lenientBoolean = () => z.preprocess((value) => (value === 'true' ? true : value === 'false' ? false : value), z.boolean())
