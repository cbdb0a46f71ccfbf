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
        async with httpx.AsyncClient() as client:
            response = await client.get(
                os.environ["WPE_API_URL"] + "/sites",
                params={"per_page": 50, "sort": "name"},
                headers={"Authorization": "ApiKey " + os.environ["WPE_API_KEY"]},
            )
        table = self.query_one(DataTable)
        table.add_columns("Name", "Status", "Env", "URL", "Created")
        table.add_rows(
            (s["name"], s["status"], s["environment"], s["url"], s["created_at"])
            for s in response.json()["results"]
        )


if __name__ == "__main__":
    Floor().run()
