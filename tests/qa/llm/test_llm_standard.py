"""LangChain's standard unit tests for chat models, run against the local GGUF chat model
(construction, serialisation, parameters; nothing here loads the model)."""

from langchain_tests.unit_tests import ChatModelUnitTests

from qa.llm.local import LocalChatModel


class TestLocalChatModelStandard(ChatModelUnitTests):
    @property
    def chat_model_class(self) -> type[LocalChatModel]:
        return LocalChatModel

    @property
    def chat_model_params(self) -> dict:
        return {"path": "SmolLM2-135M-Instruct.Q4_1.gguf"}

    @property
    def has_tool_calling(self) -> bool:
        return False

    @property
    def has_structured_output(self) -> bool:
        return False
