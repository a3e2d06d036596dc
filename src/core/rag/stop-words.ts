/**
 * Words a query is better without: English function words, the vocabulary every bug report template
 * shares ("expected behavior", "steps to reproduce"), and, in code, keywords of the languages faithh
 * indexes, which occur in every file of their language. Stored as the index stores words: lower case; the
 * query drops a word when it or its stem is listed.
 */
const ENGLISH = `a about above after again against all also am an and any are aren as at be because been before being below between
both but by can cannot could couldn did didn do does doesn doing don down during each either else etc even ever every few for from
further get gets getting got had hadn has hasn have haven having he her here hers herself him himself his how however i if in into
is isn it its itself just let like ll made make makes many may me might more most much must mustn my myself need needs no nor not
now of off often on once one only or other others our ours ourselves out over own per please quite rather re really same seem
seems shan she should shouldn since so some still such than that the their theirs them themselves then there these they thing
things this those though through thus to too under until up upon us use used uses using very via was wasn way we well were weren
what when where whether which while who whom whose why will with within without won would wouldn yet you your yours yourself
yourselves ve`

/** Template headings and filler of issue reports and commit messages, in any project. */
const REPORT = `bug bugs issue issues report reported expected expect expecting actual actually behavior behaviour reproduce
reproducible reproduction repro steps step description describe summary details detail minimal complete verifiable mcve example
sample output outputs result results problem problems question hi hello thanks thank regards cheers sorry hope guess think
seems seem happen happens happened happening fix fixes fixed fixing bugfix hotfix currently something anything everything someone anyone okay ok lot lots bit
maybe probably perhaps instead though already simply basically pretty obviously note notes noticed notice trying tried try want
wanted wants would able unable look looks looking see seen saw know known case cases work works worked working`

/** Keywords of Python, JavaScript/TypeScript and their common neighbours: present in every file of the language. */
const KEYWORDS = `def class self cls return import from as pass none true false null undefined lambda yield async await
raise except try finally with global nonlocal elif assert del print function const var let new typeof instanceof void
this super extends implements interface export default require module exports package public private protected static
readonly enum type namespace declare abstract override switch case break continue throw catch while for do if else in of
fn func struct impl pub mut use crate go defer chan end begin then elsif unless`

const words = (...lists: string[]) => new Set(lists.join(' ').split(/\s+/).filter(Boolean))

/** Dropped from prose. A keyword in prose is meant ("incorrect typeof checks", "returns null"): kept. */
export const PROSE_STOP_WORDS: ReadonlySet<string> = words(ENGLISH, REPORT)
/** Dropped from code: a report's filler words can be real names there (`result`, `sample`, `output`). */
export const CODE_STOP_WORDS: ReadonlySet<string> = words(ENGLISH, KEYWORDS)
