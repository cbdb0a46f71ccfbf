"""The floor: the least a Textual app can do to put the first page of sites on screen.

One request with httpx, one DataTable. `wpe-tui`'s time to first rows is compared
with this program's, measured in the same benchmark run.
"""

import os

import httpx
from textual.app import App, ComposeResult
from textual.widgets import DataTable


class Floor(App[None]):
    def compose(self) -> ComposeResult:
        yield DataTable()

    def on_mount(self) -> None:
        self.run_worker(self.load())

    async def load(self) -> None:
        if os.environ.get("WPE_API") == "platform":  # the Hosting Platform API: Basic auth
            auth = httpx.BasicAuth(os.environ["WPE_API_USER"], os.environ["WPE_API_PASSWORD"])
            params: dict[str, str | int] = {"limit": 50}
        else:
            auth = None
            params = {"per_page": 50, "sort": "name"}
        async with httpx.AsyncClient(auth=auth) as client:
            headers = {"Authorization": "ApiKey " + os.environ["WPE_API_KEY"]} if not auth else {}
            response = await client.get(
                os.environ["WPE_API_URL"] + "/sites", params=params, headers=headers
            )
        table = self.query_one(DataTable)
        table.add_columns("Name", "Status", "Env", "URL", "Created")
        table.add_rows(
            (s["name"], s.get("status"), s.get("environment"), s.get("url"), s["created_at"])
            for s in response.json()["results"]
        )


if __name__ == "__main__":
    Floor().run()
