// What every slice of the GitHub stand-in answers with.
export type Reply = [number, Record<string, any>];
export const API = "https://api.github.com";
export const notFound: Reply = [404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" }];
