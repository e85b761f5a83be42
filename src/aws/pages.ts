// Every page of an AWS list call that pages with NextToken, read one after another (never in parallel:
// a burst of reads could run into the account's request-rate quotas). The caller builds, validates and
// sends each page's request, so its errors still name the operation.
export async function* pages<P extends { NextToken?: string }>(readPage: (nextToken: string | undefined) => Promise<P>): AsyncGenerator<P> {
  let token: string | undefined;
  do {
    const page = await readPage(token);
    yield page;
    token = page.NextToken;
  } while (token);
}
