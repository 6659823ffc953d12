{
  "extends": "../tsconfig.json",
  "compilerOptions": {
    "rootDir": "..",
    "noEmit": true,
    "incremental": false,
    "tsBuildInfoFile": null,
    "types": ["node", "jest"]
  },
  "include": [".", "../src"]
}
