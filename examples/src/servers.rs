//! Running servers, stopped together: what [`crate::demo::start`] and
//! [`crate::realtime::start`] return wraps one of these.

use std::io;

use actix_web::{dev::Server, dev::ServerHandle, rt::task::JoinHandle};

/// Servers spawned on the current actix-web runtime.
pub(crate) struct Servers {
    handles: Vec<ServerHandle>,
    tasks: Vec<JoinHandle<io::Result<()>>>,
}

impl Servers {
    /// Spawns each server; they stop with [`Servers::stop`].
    pub(crate) fn spawn(servers: impl IntoIterator<Item = Server>) -> Self {
        let mut handles = Vec::new();
        let mut tasks = Vec::new();
        for server in servers {
            handles.push(server.handle());
            tasks.push(actix_web::rt::spawn(server));
        }
        Servers { handles, tasks }
    }

    /// Stops every server, letting requests in flight finish (one second at most).
    pub(crate) async fn stop(self) -> io::Result<()> {
        // `stop` sends its command at once, so the servers stop side by side.
        let stopping: Vec<_> = self.handles.iter().map(|h| h.stop(true)).collect();
        for stopped in stopping {
            stopped.await;
        }
        for task in self.tasks {
            task.await.map_err(io::Error::other)??;
        }
        Ok(())
    }
}
