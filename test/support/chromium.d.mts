export declare const CHROME_PATH: string;
export declare const CHROME_ARGS: string[];
export declare const FAKE_CAMERA_ARGS: string[];
