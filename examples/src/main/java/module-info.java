/** The example project as a named module: it reads only aimc-core's exported API. */
module dev.aimc.examples {
    requires dev.aimc.core;
}
