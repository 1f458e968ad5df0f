export declare const WARM_HEAP: string;
export declare function warmHeapEnv(env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv | undefined;
